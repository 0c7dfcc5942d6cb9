"""Mail sign-in: OAuth2 tokens from Microsoft Entra ID (MSAL; app-only or delegated device code), their private
cache file, the client secret from the environment or the keyring, and the steps `mail check` records (its use
cases are in `services.mailcheck`).

Modules:
- `aadsts`: Entra ID token-endpoint errors (`AADSTS…`) in one line: Microsoft's code and message, and what to do.
- `cache`: The OAuth2 token cache: MSAL's serialisable cache in a 0600 file of its own in the data folder.
- `certificate`: The app's certificate credential for MSAL.
- `secret_store`: The app's client secret.
- `steps`: The steps of `mail check` and the shared ones (resolve the host, get a token).
- `tokens`: OAuth2 access tokens for SMTP and IMAP from Microsoft Entra ID, through MSAL.
- `wiring`: Build the token provider and the transport the settings ask for (the one place that knows both).
"""
