-- Run once by the postgres image on an empty data directory (mounted into /docker-entrypoint-initdb.d),
-- as the superuser. Creates the role the Tenantry API connects as, with only what it needs:
--   LOGIN                 it connects;
--   CREATEDB              it creates the pooled and dedicated tenant databases (and their templates);
--   CREATEROLE            it creates each tenant database's application role (LOGIN, NOSUPERUSER, NOBYPASSRLS);
--   pg_signal_backend     deleting a tenant database ends its sessions first (DROP DATABASE ... WITH (FORCE));
--   owner of the control-plane database, so its migrations create tables, pg-boss's schema and the trusted
--   extension pgcrypto there.
-- Not SUPERUSER, not REPLICATION, not BYPASSRLS. The API creates, changes and drops only the databases and
-- roles it created (each carries its ownership mark).
\getenv api_role TENANTRY_DB_USER
\getenv api_password TENANTRY_DB_PASSWORD
\getenv api_database TENANTRY_DB_NAME
CREATE ROLE :"api_role" LOGIN NOSUPERUSER CREATEDB CREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'api_password';
GRANT pg_signal_backend TO :"api_role";
CREATE DATABASE :"api_database" OWNER :"api_role";
