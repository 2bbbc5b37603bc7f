//! The `code` of an entry in `$errors` or `$warnings`.
//!
//! Edlink answers `400` for most errors, so the code, not the HTTP status, says
//! what happened.

use crate::string_enum::string_enum;

string_enum! {
    /// The code of an error in an Edlink `$errors` list.
    ///
    /// ```
    /// use edlink_model::ErrorCode;
    ///
    /// let code: ErrorCode = "INVALID_CURSOR".into();
    /// assert_eq!(code, ErrorCode::InvalidCursor);
    /// let new: ErrorCode = "SOMETHING_NEW".into();
    /// assert_eq!(new.as_str(), "SOMETHING_NEW");
    /// ```
    pub enum ErrorCode {
        /// `UNKNOWN`: Edlink could not say what failed (not to be confused with [`ErrorCode::Unknown`], a code this SDK does not know).
        Unspecified = "UNKNOWN",
        /// `INTERNAL`: an internal Edlink failure.
        Internal = "INTERNAL",
        /// `UNKNOWN_PROVIDER`.
        UnknownProvider = "UNKNOWN_PROVIDER",
        /// `INVALID_TOKEN`: the bearer token is not valid.
        InvalidToken = "INVALID_TOKEN",
        /// `EXPIRED_TOKEN`.
        ExpiredToken = "EXPIRED_TOKEN",
        /// `UNSHARED_TOKEN`.
        UnsharedToken = "UNSHARED_TOKEN",
        /// `INVALID_PROVIDER_TOKEN`.
        InvalidProviderToken = "INVALID_PROVIDER_TOKEN",
        /// `INVALID_INTEGRATION_STATE`: the integration must be `active` or `paused`.
        InvalidIntegrationState = "INVALID_INTEGRATION_STATE",
        /// `INVALID_UUID`: an id is not of the 8-4-4-4-12 hex form.
        InvalidUuid = "INVALID_UUID",
        /// `UNSUPPORTED_OPERATION`.
        UnsupportedOperation = "UNSUPPORTED_OPERATION",
        /// `NOT_FOUND`.
        NotFound = "NOT_FOUND",
        /// `NO_PERMISSION`.
        NoPermission = "NO_PERMISSION",
        /// `IDEMPOTENCY_KEY_TOO_LONG`.
        IdempotencyKeyTooLong = "IDEMPOTENCY_KEY_TOO_LONG",
        /// `INVALID_CURSOR`: the `$cursor` is malformed or expired (after 2 hours).
        InvalidCursor = "INVALID_CURSOR",
        /// `INVALID_PAGE_SIZE`: `$first`/`$last` out of range.
        InvalidPageSize = "INVALID_PAGE_SIZE",
        /// `ENTITY_NOT_PRESENT_IN_SOURCE`.
        EntityNotPresentInSource = "ENTITY_NOT_PRESENT_IN_SOURCE",
        /// `INVALID_SUBMISSION_TYPE`.
        InvalidSubmissionType = "INVALID_SUBMISSION_TYPE",
        /// `MISSING_REQUIRED_FIELD`.
        MissingRequiredField = "MISSING_REQUIRED_FIELD",
        /// `INVALID_ASSIGNEES`.
        InvalidAssignees = "INVALID_ASSIGNEES",
        /// `ASSIGNMENT_CANNOT_HAVE_ZERO_POINTS`.
        AssignmentCannotHaveZeroPoints = "ASSIGNMENT_CANNOT_HAVE_ZERO_POINTS",
        /// `INVALID_REQUEST_BODY`.
        InvalidRequestBody = "INVALID_REQUEST_BODY",
    }
}

impl ErrorCode {
    /// Whether the code says the credentials were refused.
    ///
    /// ```
    /// use edlink_model::ErrorCode;
    /// assert!(ErrorCode::InvalidToken.is_authentication());
    /// assert!(!ErrorCode::NotFound.is_authentication());
    /// ```
    pub fn is_authentication(&self) -> bool {
        matches!(
            self,
            Self::InvalidToken
                | Self::ExpiredToken
                | Self::UnsharedToken
                | Self::InvalidProviderToken
        )
    }
}

string_enum! {
    /// The code of a warning in an Edlink `$warnings` list.
    ///
    /// ```
    /// use edlink_model::WarningCode;
    /// assert_eq!(WarningCode::from("PAGING_IGNORED"), WarningCode::PagingIgnored);
    /// ```
    pub enum WarningCode {
        /// `PAGING_IGNORED`: paging parameters were sent with a `$cursor`.
        PagingIgnored = "PAGING_IGNORED",
        /// `PROVIDER_IGNORED_PAGE_SIZE`.
        ProviderIgnoredPageSize = "PROVIDER_IGNORED_PAGE_SIZE",
        /// `IDEMPOTENCY_KEY_REPEATED`.
        IdempotencyKeyRepeated = "IDEMPOTENCY_KEY_REPEATED",
        /// `IDEMPOTENCY_KEY_IGNORED`.
        IdempotencyKeyIgnored = "IDEMPOTENCY_KEY_IGNORED",
        /// `ASSIGNEES_IGNORED`.
        AssigneesIgnored = "ASSIGNEES_IGNORED",
        /// `INVALID_EXPANSION`.
        InvalidExpansion = "INVALID_EXPANSION",
        /// `INVALID_PATCH_PROPERTY`.
        InvalidPatchProperty = "INVALID_PATCH_PROPERTY",
        /// `INVALID_FIELD_REQUESTED`.
        InvalidFieldRequested = "INVALID_FIELD_REQUESTED",
        /// `COULD_NOT_FIND_ID`.
        CouldNotFindId = "COULD_NOT_FIND_ID",
        /// `FOUND_UNEXPECTED_FIELD`.
        FoundUnexpectedField = "FOUND_UNEXPECTED_FIELD",
        /// `DATETIME_MISSING_TIMEZONE`.
        DatetimeMissingTimezone = "DATETIME_MISSING_TIMEZONE",
        /// `AUTOFILLED_DEFAULT`.
        AutofilledDefault = "AUTOFILLED_DEFAULT",
    }
}
