"""Who uses the review app and the review commands: accounts with a role, passwords
kept as argon2 hashes, logins slowed and locked after failures, browser sessions."""
