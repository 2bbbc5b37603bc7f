//! What is taught and to whom: [`GradeLevel`] and [`Subject`].

use crate::string_enum::string_enum;

string_enum! {
    /// A grade level, after the CEDS grade level element. The 2022 docs list,
    /// plus `AL` and `CL` (added to the docs in July 2022, absent from the
    /// OpenAPI schema and the TypeScript SDK).
    ///
    /// ```
    /// use edlink_model::GradeLevel;
    ///
    /// assert_eq!(GradeLevel::from("KG"), GradeLevel::Kindergarten);
    /// assert_eq!(GradeLevel::Grade01.as_str(), "01");
    /// assert_eq!(GradeLevel::from("AL"), GradeLevel::AdultLearning);
    /// ```
    pub enum GradeLevel {
        /// `Birth`.
        Birth = "Birth",
        /// `Prenatal`.
        Prenatal = "Prenatal",
        /// `IT`: infant or toddler.
        InfantToddler = "IT",
        /// `PR`: preschool.
        Preschool = "PR",
        /// `PK`: prekindergarten.
        Prekindergarten = "PK",
        /// `TK`: transitional kindergarten.
        TransitionalKindergarten = "TK",
        /// `KG`: kindergarten.
        Kindergarten = "KG",
        /// `01`: first grade.
        Grade01 = "01",
        /// `02`: second grade.
        Grade02 = "02",
        /// `03`: third grade.
        Grade03 = "03",
        /// `04`: fourth grade.
        Grade04 = "04",
        /// `05`: fifth grade.
        Grade05 = "05",
        /// `06`: sixth grade.
        Grade06 = "06",
        /// `07`: seventh grade.
        Grade07 = "07",
        /// `08`: eighth grade.
        Grade08 = "08",
        /// `09`: ninth grade.
        Grade09 = "09",
        /// `10`: tenth grade.
        Grade10 = "10",
        /// `11`: eleventh grade.
        Grade11 = "11",
        /// `12`: twelfth grade.
        Grade12 = "12",
        /// `13`: grade thirteen.
        Grade13 = "13",
        /// `PS`: postsecondary.
        Postsecondary = "PS",
        /// `UG`: ungraded.
        Ungraded = "UG",
        /// `Other`.
        Other = "Other",
        /// `AL`: adult learning.
        AdultLearning = "AL",
        /// `CL`: continued learning.
        ContinuedLearning = "CL",
    }
}

string_enum! {
    /// A subject: CEDS subject codes (there is no `CEDS.06`) and Edlink's own
    /// `EL.*` codes. Real data has broken stricter clients' validation of this
    /// enum, so unknown codes are kept as sent.
    ///
    /// ```
    /// use edlink_model::Subject;
    ///
    /// assert_eq!(Subject::from("CEDS.02"), Subject::Mathematics);
    /// assert_eq!(Subject::from("CEDS.06").as_str(), "CEDS.06");
    /// ```
    pub enum Subject {
        /// `CEDS.01`: language arts.
        LanguageArts = "CEDS.01",
        /// `CEDS.02`: mathematics.
        Mathematics = "CEDS.02",
        /// `CEDS.03`: life and physical sciences.
        LifeAndPhysicalSciences = "CEDS.03",
        /// `CEDS.04`: social sciences and history.
        SocialSciencesAndHistory = "CEDS.04",
        /// `CEDS.05`: visual and performing arts.
        VisualAndPerformingArts = "CEDS.05",
        /// `CEDS.07`: religious education and theology.
        ReligiousEducationAndTheology = "CEDS.07",
        /// `CEDS.08`: physical, health, and safety education.
        PhysicalHealthAndSafetyEducation = "CEDS.08",
        /// `CEDS.09`: military science.
        MilitaryScience = "CEDS.09",
        /// `CEDS.10`: information technology.
        InformationTechnology = "CEDS.10",
        /// `CEDS.11`: communication and audio/visual technology.
        CommunicationAndAudioVisualTechnology = "CEDS.11",
        /// `CEDS.12`: business and marketing.
        BusinessAndMarketing = "CEDS.12",
        /// `CEDS.13`: manufacturing.
        Manufacturing = "CEDS.13",
        /// `CEDS.14`: health care sciences.
        HealthCareSciences = "CEDS.14",
        /// `CEDS.15`: public, protective, and government service.
        PublicProtectiveAndGovernmentService = "CEDS.15",
        /// `CEDS.16`: hospitality and tourism.
        HospitalityAndTourism = "CEDS.16",
        /// `CEDS.17`: architecture and construction.
        ArchitectureAndConstruction = "CEDS.17",
        /// `CEDS.18`: agriculture, food, and natural resources.
        AgricultureFoodAndNaturalResources = "CEDS.18",
        /// `CEDS.19`: human services.
        HumanServices = "CEDS.19",
        /// `CEDS.20`: transportation, distribution, and logistics.
        TransportationDistributionAndLogistics = "CEDS.20",
        /// `CEDS.21`: engineering and technology.
        EngineeringAndTechnology = "CEDS.21",
        /// `CEDS.22`: miscellaneous.
        Miscellaneous = "CEDS.22",
        /// `CEDS.23`: non-subject-specific.
        NonSubjectSpecific = "CEDS.23",
        /// `CEDS.24`: world languages.
        WorldLanguages = "CEDS.24",
        /// `EL.01`: special education.
        SpecialEducation = "EL.01",
        /// `EL.02`: professional development.
        ProfessionalDevelopment = "EL.02",
    }
}
