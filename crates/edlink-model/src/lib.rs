//! The Edlink data model, sans IO: the objects, the response envelope, the
//! paging parameters and the paging state machine, with no HTTP and no async.
//!
//! Use it alone to decode webhook payloads, stored exports or responses fetched
//! by your own HTTP stack; `edlink-client` builds on it.
//!
//! ```
//! use edlink_model::{decode_response, Integration};
//!
//! let body = br#"{"$data":{"id":"77a69705-41a7-49cb-0fe8-ffd425f9716f","status":"active"}}"#;
//! let integration = decode_response::<Integration>(200, Some("application/json"), body)?.data;
//! assert_eq!(integration.id.to_string(), "77a69705-41a7-49cb-0fe8-ffd425f9716f");
//! # Ok::<(), edlink_model::ResponseError>(())
//! ```

pub mod auth;
mod codes;
mod decode;
mod enums;
mod envelope;
mod excerpt;
mod extra;
mod field;
pub mod filter;
mod graph;
mod integration;
mod json;
mod lossless;
mod number;
mod origin;
mod paging;
mod params;
mod permission;
mod provider;
mod raw;
mod readme;
pub mod redact;
mod resource;
mod secret;
mod source;
mod string_enum;
mod team;
mod timestamp;
#[cfg(feature = "webhook")]
pub mod webhook;

pub use auth::{RandomnessError, TokenSet};
pub use codes::{ErrorCode, WarningCode};
pub use decode::{ResponseError, decode_response};
pub use enums::{IntegrationScope, IntegrationState, IntegrationStatus, SourceStatus, TeamType};
pub use envelope::{ApiError, ApiErrorList, ApiWarning, Envelope, Page, Response};
pub use excerpt::EXCERPT_CHARS;
pub use extra::Extra;
pub use filter::Filter;
pub use graph::{
    Address, Agent, AgentFlag, Birthday, BirthdayError, Class, ClassState, Course, Demographics,
    Disability, District, Enrollment, EnrollmentState, Event, EventData, EventDataError,
    EventTarget, EventType, FoodServiceProgramEligibility, GenderIdentity, GradeLevel, Identifier,
    IdentifierType, License, OneOrMany, Person, Product, ProductState, PublicSchoolResidenceStatus,
    Race, Relationship, Role, School, Section, SectionState, Session, SessionState, SessionType,
    Source, Subject,
};
pub use integration::Integration;
pub use number::JsonNumber;
pub use origin::{InvalidBaseUrl, OffOrigin, Origin};
pub use paging::{
    MAX_EMPTY_PAGES_IN_A_ROW, MAX_RESUMES_WITHOUT_PROGRESS, PageOutcome, Paginator, PagingError,
    PagingRules, peek_next,
};
pub use params::{
    DEFAULT_PAGE_SIZE, Direction, ListParams, MAX_PAGE_SIZE, ParamError, ValidParams,
    encode_component, encode_query, parse_id,
};
pub use permission::Permission;
pub use provider::{IntegrationProvider, Provider};
pub use raw::RawJson;
pub use resource::{Auth, Record, Resource};
pub use secret::{
    AccessToken, ApplicationKey, AuthorizationCode, ClientSecret, LoginState, RefreshToken,
    WebhookSecret,
};
pub use source::IntegrationSource;
pub use string_enum::UnknownValue;
pub use team::Team;
pub use timestamp::{Timestamp, TimestampError};
