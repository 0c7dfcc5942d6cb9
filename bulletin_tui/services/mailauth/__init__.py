"""Mail sign-in: OAuth2 tokens from Microsoft Entra ID (MSAL; app-only or delegated device code), their private
cache file, the client secret from the environment or the keyring, and `mail check` (every step, nothing sent).

Modules:
- `aadsts`: Entra ID token-endpoint errors (`AADSTS…`) in one line: Microsoft's code and message, and what to do.
- `cache`: The OAuth2 token cache: MSAL's serialisable cache in a 0600 file of its own in the data folder.
- `certificate`: The app's certificate credential for MSAL.
- `check`: `mail check`: every step of reaching the mailbox (SMTP and IMAP), each with ✓/✗.
- `check_imap`: The IMAP half of `mail check`.
- `check_smtp`: The SMTP half of `mail check`: resolve, token, connect, STARTTLS, sign in.
- `deliverability`: `mail check --deliverability`.
- `deliverability_headers`: Reading what the receiving server wrote.
- `deliverability_imap`: The mailbox half of the deliverability check.
- `deliverability_message`: The deliverability check's test message.
- `deliverability_verdicts`: The verdicts of the deliverability check.
- `secret_store`: The app's client secret.
- `setup_check`: `mail check`: the mailbox steps, then (with [teams] organiser set) each Graph permission.
- `steps`: The steps of `mail check` and the shared ones (resolve the host, get a token).
- `tokens`: OAuth2 access tokens for SMTP and IMAP from Microsoft Entra ID, through MSAL.
- `wiring`: Build the token provider and the transport the settings ask for (the one place that knows both).
"""
