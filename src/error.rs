//! The errors a user can see, and how each maps to the SPEC's exit codes.
//!
//! 0 success, 1 the command ran and found problems, 2 usage or input errors
//! (nothing changed), 3 the matter is locked by another process, 4 a failure
//! outside the input (I/O, database) after a rollback.

use std::fmt;
use std::path::Path;
use std::process::ExitCode;

/// How a command that ran to the end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report: exit 0.
    Success,
    /// The command ran and found problems (findings, blockers, files that
    /// could not be ingested): exit 1.
    Problems,
}

impl Outcome {
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Problems => ExitCode::from(1),
        }
    }

    /// `Problems` when `found` is true, else `Success`.
    pub fn problems_if(found: bool) -> Self {
        if found {
            Outcome::Problems
        } else {
            Outcome::Success
        }
    }
}

/// A failure that stops a command. Each variant carries what failed, on what,
/// and (optionally) what to do about it.
#[derive(Debug)]
pub enum Error {
    /// Bad input or usage, detected before anything changed: exit 2.
    Input {
        message: String,
        hint: Option<String>,
    },
    /// Another process holds the matter's write lock: exit 3.
    Locked { holder: String, lock_file: String },
    /// A failure outside the command's input (I/O, database): exit 4.
    Internal {
        message: String,
        hint: Option<String>,
    },
}

impl Error {
    pub fn input(message: impl Into<String>) -> Self {
        Error::Input {
            message: message.into(),
            hint: None,
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Error::Internal {
            message: message.into(),
            hint: None,
        }
    }

    /// An I/O failure on `path` while doing `action` ("read", "write", …).
    pub fn io(action: &str, path: &Path, err: std::io::Error) -> Self {
        Error::internal(format!("could not {action} `{}`: {err}", path.display()))
    }

    /// Adds the `hint:` line shown under the message.
    pub fn hint(mut self, text: impl Into<String>) -> Self {
        match &mut self {
            Error::Input { hint, .. } | Error::Internal { hint, .. } => *hint = Some(text.into()),
            Error::Locked { .. } => {}
        }
        self
    }

    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            Error::Input { .. } => 2,
            Error::Locked { .. } => 3,
            Error::Internal { .. } => 4,
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input { message, .. } | Error::Internal { message, .. } => f.write_str(message),
            Error::Locked { holder, .. } => {
                write!(
                    f,
                    "the matter is locked by another adrec process ({holder})"
                )
            }
        }
    }
}

impl std::error::Error for Error {}

/// Prints an error the way users read it: `error: …`, a blank line, `hint: …`.
pub fn print(err: &Error) {
    eprintln!("error: {err}");
    let hint = match err {
        Error::Input { hint, .. } | Error::Internal { hint, .. } => hint.clone(),
        Error::Locked { lock_file, .. } => Some(format!(
            "wait for it to finish and retry; if no adrec is running, the lock in `{lock_file}` is released automatically"
        )),
    };
    if let Some(hint) = hint {
        eprintln!("\nhint: {hint}");
    }
}
