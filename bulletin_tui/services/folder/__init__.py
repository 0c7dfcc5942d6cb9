"""The data folder itself: its backups and putting one back."""
