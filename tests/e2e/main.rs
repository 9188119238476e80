mod audit;
mod audit_files;
mod audit_util;
