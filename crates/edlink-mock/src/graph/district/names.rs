//! Tables for the generated districts: names, subjects, grade levels, enum values with
//! weights (documented values plus a few no document lists, which clients must keep).

pub(super) const FIRST_NAMES: [&str; 40] = [
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Amelia",
    "Oliver",
    "Ava",
    "Elijah",
    "Sophia",
    "Mateo",
    "Isabella",
    "Lucas",
    "Mia",
    "Levi",
    "Charlotte",
    "Ezra",
    "Harper",
    "Asher",
    "Luna",
    "James",
    "Camila",
    "Leo",
    "Evelyn",
    "Aiden",
    "Sofia",
    "Kai",
    "Aaliyah",
    "Jayden",
    "Zoe",
    "Hiro",
    "Priya",
    "Mohammed",
    "Chloé",
    "José",
    "Nguyen",
    "Fatima",
    "Dmitri",
    "Aoife",
    "Kwame",
    "Ana",
];

pub(super) const LAST_NAMES: [&str; 40] = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "O'Brien",
    "Nakamura",
    "Okafor",
    "Müller",
];

pub(super) const SCHOOL_NAMES: [&str; 16] = [
    "Lincoln",
    "Washington",
    "Roosevelt",
    "Jefferson",
    "Franklin",
    "Madison",
    "Kennedy",
    "Hamilton",
    "Riverside",
    "Oakwood",
    "Hillcrest",
    "Lakeview",
    "Maple Grove",
    "Cedar Creek",
    "Pine Ridge",
    "Sunset",
];

/// A kind of school: its name suffix and grade levels.
pub(super) const SCHOOL_KINDS: [(&str, &[&str]); 3] = [
    (
        "Elementary School",
        &["PK", "KG", "01", "02", "03", "04", "05"],
    ),
    ("Middle School", &["06", "07", "08"]),
    ("High School", &["09", "10", "11", "12"]),
];

/// Every grade a student of the District Office placeholder school may be in.
pub(super) const ALL_GRADES: [&str; 14] = [
    "PK", "KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12",
];

/// `(subject name, course code prefix, CEDS subject code)`.
pub(super) const SUBJECTS: [(&str, &str, &str); 10] = [
    ("Mathematics", "MATH", "CEDS.02"),
    ("English Language Arts", "ELA", "CEDS.01"),
    ("Science", "SCI", "CEDS.03"),
    ("Social Studies", "SS", "CEDS.04"),
    ("Visual Arts", "ART", "CEDS.05"),
    ("Physical Education", "PE", "CEDS.08"),
    ("Computer Science", "CS", "CEDS.10"),
    ("Spanish", "SPAN", "CEDS.24"),
    ("Music", "MUS", "CEDS.05"),
    ("Health", "HLTH", "CEDS.08"),
];

/// `ClassState`: documented values; `archived` is rare and `merged` is undocumented.
pub(super) const CLASS_STATES: [(&str, u32); 6] = [
    ("active", 85),
    ("upcoming", 4),
    ("completed", 4),
    ("inactive", 2),
    ("archived", 3),
    ("merged", 2),
];

/// `SectionState`.
pub(super) const SECTION_STATES: [(&str, u32); 3] =
    [("active", 90), ("inactive", 5), ("completed", 5)];

/// `EnrollmentState`.
pub(super) const ENROLLMENT_STATES: [(&str, u32); 6] = [
    ("active", 88),
    ("dropped", 4),
    ("completed", 3),
    ("upcoming", 2),
    ("inactive", 2),
    ("pending", 1),
];

/// `Relationship`: `mother` and `father` are live values no model lists.
pub(super) const RELATIONSHIPS: [(&str, u32); 5] = [
    ("parent", 55),
    ("guardian", 28),
    ("mother", 9),
    ("father", 6),
    ("aide", 2),
];

/// `AgentFlag` values from the live samples.
pub(super) const AGENT_FLAGS: [&str; 7] = [
    "emergency_contact",
    "pickup_rights",
    "legal_guardian",
    "has_custody",
    "lives_with",
    "access_to_records",
    "primary_care_provider",
];

pub(super) const GENDERS: [(&str, u32); 3] = [("female", 48), ("male", 48), ("other", 4)];

pub(super) const RACES: [&str; 5] = [
    "american-indian-or-alaska-native",
    "asian",
    "black-or-african-american",
    "native-hawaiian-or-other-pacific-islander",
    "white",
];

pub(super) const DISABILITIES: [&str; 5] = ["SLD", "SLI", "OHI", "AUT", "ID"];

pub(super) const FOOD_SERVICE: [&str; 4] = ["Free", "ReducedPrice", "FullPrice", "Other"];

/// The IANA time zone of a US state code (`America/New_York` for the others).
pub(super) fn time_zone(state: &str) -> &'static str {
    match state {
        "TX" | "IL" | "WI" | "OK" | "MN" | "MO" => "America/Chicago",
        "OR" | "CA" | "WA" | "NV" => "America/Los_Angeles",
        "CO" | "UT" | "NM" => "America/Denver",
        "AK" => "America/Anchorage",
        "PR" => "America/Puerto_Rico",
        "HI" => "Pacific/Honolulu",
        _ => "America/New_York",
    }
}
