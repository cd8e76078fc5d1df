//! Monitoring endpoints.
