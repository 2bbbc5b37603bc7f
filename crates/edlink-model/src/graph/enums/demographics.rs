//! The CEDS-based values of a person's [`Demographics`](crate::Demographics).

use crate::string_enum::string_enum;

string_enum! {
    /// `Demographics.gender`.
    ///
    /// ```
    /// use edlink_model::GenderIdentity;
    ///
    /// assert_eq!(GenderIdentity::from("female"), GenderIdentity::Female);
    /// assert!(GenderIdentity::from("nonbinary").is_unknown());
    /// ```
    pub enum GenderIdentity {
        /// `male`.
        Male = "male",
        /// `female`.
        Female = "female",
        /// `other`.
        Other = "other",
    }
}

string_enum! {
    /// An item of `Demographics.races`.
    ///
    /// ```
    /// use edlink_model::Race;
    ///
    /// assert_eq!(Race::from("black-or-african-american"), Race::BlackOrAfricanAmerican);
    /// ```
    pub enum Race {
        /// `american-indian-or-alaska-native`.
        AmericanIndianOrAlaskaNative = "american-indian-or-alaska-native",
        /// `asian`.
        Asian = "asian",
        /// `black-or-african-american`.
        BlackOrAfricanAmerican = "black-or-african-american",
        /// `native-hawaiian-or-other-pacific-islander`.
        NativeHawaiianOrOtherPacificIslander = "native-hawaiian-or-other-pacific-islander",
        /// `white`.
        White = "white",
    }
}

string_enum! {
    /// `Demographics.disability`: the CEDS primary disability type.
    ///
    /// ```
    /// use edlink_model::Disability;
    ///
    /// assert_eq!(Disability::from("SLD"), Disability::SpecificLearningDisability);
    /// ```
    pub enum Disability {
        /// `AUT`: autism.
        Autism = "AUT",
        /// `DB`: deaf-blindness.
        DeafBlindness = "DB",
        /// `DD`: developmental delay.
        DevelopmentalDelay = "DD",
        /// `EMN`: emotional disturbance.
        EmotionalDisturbance = "EMN",
        /// `HI`: hearing impairment.
        HearingImpairment = "HI",
        /// `ID`: intellectual disability.
        IntellectualDisability = "ID",
        /// `MD`: multiple disabilities.
        MultipleDisabilities = "MD",
        /// `OI`: orthopedic impairment.
        OrthopedicImpairment = "OI",
        /// `OHI`: other health impairment.
        OtherHealthImpairment = "OHI",
        /// `SLD`: specific learning disability.
        SpecificLearningDisability = "SLD",
        /// `SLI`: speech or language impairment.
        SpeechOrLanguageImpairment = "SLI",
        /// `TBI`: traumatic brain injury.
        TraumaticBrainInjury = "TBI",
        /// `VI`: visual impairment.
        VisualImpairment = "VI",
    }
}

string_enum! {
    /// `Demographics.food_service_program_eligibility`.
    ///
    /// ```
    /// use edlink_model::FoodServiceProgramEligibility;
    ///
    /// assert_eq!(FoodServiceProgramEligibility::from("ReducedPrice"), FoodServiceProgramEligibility::ReducedPrice);
    /// ```
    pub enum FoodServiceProgramEligibility {
        /// `Free`.
        Free = "Free",
        /// `FullPrice`.
        FullPrice = "FullPrice",
        /// `ReducedPrice`.
        ReducedPrice = "ReducedPrice",
        /// `Other`.
        Other = "Other",
    }
}

string_enum! {
    /// `Demographics.residence_status`: CEDS public school residence status,
    /// where the person lives relative to the school's attendance area.
    ///
    /// ```
    /// use edlink_model::PublicSchoolResidenceStatus;
    ///
    /// assert_eq!(PublicSchoolResidenceStatus::from("01656"), PublicSchoolResidenceStatus::OtherState);
    /// ```
    pub enum PublicSchoolResidenceStatus {
        /// `01652`: resident of the administrative unit and the usual school
        /// attendance area.
        AttendanceArea = "01652",
        /// `01653`: resident of the administrative unit, but of another school
        /// attendance area.
        OtherAttendanceArea = "01653",
        /// `01654`: resident of this state, but not of this administrative unit.
        OtherAdministrativeUnit = "01654",
        /// `01655`: resident of an administrative unit that crosses state
        /// boundaries.
        CrossStateUnit = "01655",
        /// `01656`: resident of another state.
        OtherState = "01656",
    }
}
