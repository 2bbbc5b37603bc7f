//! The v2 Graph API models (`/api/v2/graph/...`, integration access token),
//! also served by the User API (`/api/v2/my/...`).

mod address;
mod agent;
mod birthday;
mod class;
mod course;
mod demographics;
mod district;
mod enrollment;
mod enums;
mod event;
mod identifier;
mod license;
mod one_or_many;
mod person;
mod product;
mod school;
mod section;
mod session;
mod source;

pub use address::Address;
pub use agent::Agent;
pub use birthday::{Birthday, BirthdayError};
pub use class::Class;
pub use course::Course;
pub use demographics::Demographics;
pub use district::District;
pub use enrollment::Enrollment;
pub use enums::{
    AgentFlag, ClassState, Disability, EnrollmentState, EventTarget, EventType,
    FoodServiceProgramEligibility, GenderIdentity, GradeLevel, IdentifierType, ProductState,
    PublicSchoolResidenceStatus, Race, Relationship, Role, SectionState, SessionState, SessionType,
    Subject,
};
pub use event::{Event, EventData, EventDataError};
pub use identifier::Identifier;
pub use license::License;
pub use one_or_many::OneOrMany;
pub use person::Person;
pub use product::Product;
pub use school::School;
pub use section::Section;
pub use session::Session;
pub use source::Source;
