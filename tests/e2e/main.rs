mod audit;
mod audit_util;
