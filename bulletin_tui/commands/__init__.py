"""CLI sub-commands, one module per area; each calls services only."""
