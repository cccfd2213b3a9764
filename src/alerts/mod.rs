//! Alert sources: each webhook body parsed into the domain's `AlertBatch`, with errors that name what
//! is wrong so the sender (and whoever configured it) can fix it.

pub mod alertmanager;
