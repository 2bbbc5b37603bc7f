//! The string enums of the Graph API models. Every value documented anywhere
//! has a variant; anything else is kept in `Unknown(String)`.

mod demographics;
mod events;
mod grades;
mod identifiers;
mod roles;
mod states;

pub use demographics::{
    Disability, FoodServiceProgramEligibility, GenderIdentity, PublicSchoolResidenceStatus, Race,
};
pub use events::{EventTarget, EventType};
pub use grades::{GradeLevel, Subject};
pub use identifiers::IdentifierType;
pub use roles::{AgentFlag, Relationship, Role};
pub use states::{
    ClassState, EnrollmentState, ProductState, SectionState, SessionState, SessionType,
};
