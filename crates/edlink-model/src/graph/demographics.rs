//! [`Demographics`]: a person's CEDS-based demographic data.

use crate::lossless::lossless_struct;
use crate::{
    Birthday, Disability, FoodServiceProgramEligibility, GenderIdentity, OneOrMany,
    PublicSchoolResidenceStatus, Race,
};

lossless_struct! {
    /// `Person.demographics`. Every field may be missing or `null`; the docs'
    /// samples send `{}` or only the first nine fields (the OpenAPI schema
    /// knows no others).
    ///
    /// `races` is a list in the docs but a single value in the TypeScript SDK
    /// and in the OpenAPI schema before a peer patched it, and `null` before
    /// 2022-05-20 (`[]` since): [`OneOrMany`] takes every form.
    ///
    /// ```
    /// use edlink_model::{Demographics, GenderIdentity, Race};
    ///
    /// let d: Demographics = serde_json::from_str(r#"{"gender":"female","races":"asian","birthday":"2009-03-14"}"#)?;
    /// assert_eq!(d.gender, Some(GenderIdentity::Female));
    /// assert_eq!(d.races.as_deref(), Some(&[Race::Asian][..]));
    /// assert_eq!(d.birthday.map(|b| b.date().year()), Some(2009));
    ///
    /// let none: Demographics = serde_json::from_str(r#"{"races":null}"#)?;
    /// assert!(none.races.as_deref().unwrap_or_default().is_empty());
    /// assert!(none.is_null("races"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct Demographics("a demographics object") {
        optional {
            /// `birthday`: `YYYY-MM-DD` or a full date-time.
            birthday: Birthday = "birthday",
            /// `gender`.
            gender: GenderIdentity = "gender",
            /// `residence_status`.
            residence_status: PublicSchoolResidenceStatus = "residence_status",
            /// `english_language_learner`.
            english_language_learner: bool = "english_language_learner",
            /// `country_of_birth`.
            country_of_birth: String = "country_of_birth",
            /// `state_of_birth`.
            state_of_birth: String = "state_of_birth",
            /// `city_of_birth`.
            city_of_birth: String = "city_of_birth",
            /// `hispanic_or_latino_ethnicity`.
            hispanic_or_latino_ethnicity: bool = "hispanic_or_latino_ethnicity",
            /// `races`: a list, or a single value in older schemas.
            races: OneOrMany<Race> = "races",
            /// `homeless`.
            homeless: bool = "homeless",
            /// `disability`.
            disability: Disability = "disability",
            /// `gifted_talented`.
            gifted_talented: bool = "gifted_talented",
            /// `food_service_program_eligibility`.
            food_service_program_eligibility: FoodServiceProgramEligibility = "food_service_program_eligibility",
            /// `economically_disadvantaged`.
            economically_disadvantaged: bool = "economically_disadvantaged",
            /// `migrant`.
            migrant: bool = "migrant",
            /// `public_assistance`.
            public_assistance: bool = "public_assistance",
            /// `rural_residency`.
            rural_residency: bool = "rural_residency",
            /// `individualized_education_plan`.
            individualized_education_plan: bool = "individualized_education_plan",
        }
    }
}
