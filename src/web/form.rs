//! A form's problems, shown on the re-rendered form instead of an error
//! page: field messages and one message at the top.

use actix_web::http::StatusCode;

use crate::{
    error::{AppError, FieldErrors},
    web::errors::PageError,
};

#[derive(Debug, Default, Clone)]
pub struct FormState {
    pub errors: FieldErrors,
    pub message: Option<String>,
}

impl FormState {
    /// The messages for one field, joined; empty when it is fine.
    pub fn err(&self, field: &str) -> String {
        self.errors
            .get(field)
            .map(|m| m.join("; "))
            .unwrap_or_default()
    }

    /// `true` when the field has a problem (for `aria-invalid`).
    pub fn bad(&self, field: &str) -> bool {
        self.errors.contains_key(field)
    }

    /// The fields' problems, with the usual line at the top.
    pub fn invalid(errors: FieldErrors) -> Self {
        Self {
            errors,
            message: Some("Please correct the fields marked below.".into()),
        }
    }

    pub fn with_message(message: impl Into<String>) -> Self {
        Self {
            errors: FieldErrors::new(),
            message: Some(message.into()),
        }
    }
}

/// What a form shows for a service error, with the status to answer; the
/// errors a form cannot explain become error pages.
pub fn problem(e: AppError) -> Result<(StatusCode, FormState, Option<u64>), PageError> {
    let status = e.status();
    let (form, retry) = match e {
        AppError::Validation(errors) => (
            FormState {
                errors,
                message: Some("Please correct the fields marked below.".into()),
            },
            None,
        ),
        AppError::RateLimited { retry_after_secs } => (
            FormState::with_message(format!(
                "Too many attempts. Please wait {} and try again.",
                wait_text(retry_after_secs)
            )),
            Some(retry_after_secs),
        ),
        e @ AppError::Busy { retry_after_secs } => (
            FormState::with_message(e.public_message()),
            Some(retry_after_secs),
        ),
        e @ (AppError::InvalidCredentials
        | AppError::InvalidSecondFactor
        | AppError::Conflict(_)
        | AppError::BadRequest(_)) => (FormState::with_message(e.public_message()), None),
        other => return Err(PageError::App(other)),
    };
    Ok((status, form, retry))
}

/// As `problem`, for a form whose work asks a provider there and then:
/// one that is down (503) re-renders the form with its friendly message
/// rather than an error page.
pub fn problem_or_down(e: AppError) -> Result<(StatusCode, FormState), PageError> {
    match e {
        e @ AppError::Unavailable(_) => {
            Ok((e.status(), FormState::with_message(e.public_message())))
        }
        e => problem(e).map(|(status, form, _)| (status, form)),
    }
}

fn wait_text(secs: u64) -> String {
    if secs < 90 {
        format!("{secs} seconds")
    } else {
        format!("{} minutes", secs.div_ceil(60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_stay_on_the_form_and_server_errors_do_not() {
        let (status, form, _) = problem(AppError::invalid("email", "is required")).unwrap();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(form.err("email"), "is required");
        assert!(form.bad("email") && !form.bad("password"));
        assert!(problem(AppError::internal("boom")).is_err());
    }

    #[test]
    fn rate_limits_say_how_long_to_wait() {
        let (status, form, retry) = problem(AppError::RateLimited {
            retry_after_secs: 300,
        })
        .unwrap();
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(retry, Some(300));
        assert!(form.message.unwrap().contains("5 minutes"));
    }
}
