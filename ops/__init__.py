"""Operations tooling: backups, a throw-away PostgreSQL, the production smoke test and the load test."""
