//! The fixed catalogue of providers and permissions (the same for every seed), so the
//! generated integrations can point at providers and permissions that really exist.

use serde_json::{Value, json};

use crate::prng::SplitMix64;
use crate::text::{edlink_date, uuid_string};

/// `(name, application slug, allows_data_sync, needs a URL in its configuration)`.
const PROVIDERS: [(&str, &str, bool, bool); 10] = [
    ("Canvas", "canvas", true, true),
    ("Schoology", "schoology", true, true),
    ("Clever", "clever", true, false),
    ("Google Classroom", "google", true, false),
    ("OneRoster", "oneroster", true, true),
    ("Blackboard Learn", "blackboard", true, true),
    ("Microsoft Teams", "microsoft", true, false),
    ("ClassLink", "classlink", true, false),
    ("D2L Brightspace", "d2l", true, true),
    ("Moodle", "moodle", false, true),
];

/// `(group, name, scoped, description)`.
const PERMISSIONS: [(&str, &str, bool, &str); 12] = [
    (
        "authentication",
        "Single Sign On",
        true,
        "Allows end users to sign in to your application with their school account.",
    ),
    (
        "rostering",
        "Read Users",
        false,
        "Read people and their demographics.",
    ),
    (
        "rostering",
        "Read Enrollments",
        false,
        "Read class enrollments.",
    ),
    (
        "rostering",
        "Read Classes",
        false,
        "Read classes and sections.",
    ),
    (
        "rostering",
        "Read Schools",
        false,
        "Read schools and districts.",
    ),
    ("rostering", "Read Terms", false, "Read sessions and terms."),
    (
        "coursework",
        "Read Coursework",
        true,
        "Read assignments and categories.",
    ),
    (
        "coursework",
        "Modify Coursework",
        true,
        "Create and update assignments.",
    ),
    (
        "grades",
        "Read Grades",
        true,
        "Read grades and submissions.",
    ),
    (
        "grades",
        "Modify Grades",
        true,
        "Write grades back to the gradebook.",
    ),
    (
        "submissions",
        "Read Submissions",
        true,
        "Read student submissions.",
    ),
    (
        "organizations",
        "Read Organizations",
        false,
        "Read organizations.",
    ),
];

/// The ids the Edlink docs use in their samples, kept so fixtures look familiar.
const CANVAS_ID: u128 = 0x035d6dd6_1569_47b2_8ed8_63435be58078;
const SSO_ID: u128 = 0x8a5c2e39_aa7a_4229_99b3_6a4d46de9c0b;
const READ_USERS_ID: u128 = 0x39a69700_0fe8_43a7_afa7_bd4ecc936412;

/// A provider as embedded in an integration (the cut-down form of the v1 sample).
#[derive(Clone, Debug)]
pub(crate) struct ProviderRef {
    pub(crate) id: String,
    pub(crate) name: &'static str,
    pub(crate) application: &'static str,
    pub(crate) allows_data_sync: bool,
}

/// The providers and permissions every generated data set uses.
#[derive(Clone, Debug)]
pub(crate) struct Catalog {
    pub(crate) providers: Vec<ProviderRef>,
    pub(crate) permission_ids: Vec<String>,
}

fn provider_id(index: usize, rng: &mut SplitMix64) -> u128 {
    let generated = rng.uuid();
    if index == 0 { CANVAS_ID } else { generated }
}

fn permission_id(index: usize, rng: &mut SplitMix64) -> u128 {
    let generated = rng.uuid();
    match index {
        0 => SSO_ID,
        1 => READ_USERS_ID,
        _ => generated,
    }
}

impl Catalog {
    /// The fixed catalogue.
    pub(crate) fn new() -> Self {
        let mut rng = SplitMix64::new(0xED11_0C47);
        let providers = PROVIDERS
            .iter()
            .enumerate()
            .map(|(i, (name, app, sync, _))| ProviderRef {
                id: uuid_string(provider_id(i, &mut rng)),
                name,
                application: app,
                allows_data_sync: *sync,
            })
            .collect();
        let mut rng = SplitMix64::new(0x9E12_0155);
        let permission_ids = (0..PERMISSIONS.len())
            .map(|i| uuid_string(permission_id(i, &mut rng)))
            .collect();
        Self {
            providers,
            permission_ids,
        }
    }

    /// The full provider objects (v1 Provider model), in catalogue order.
    pub(crate) fn provider_objects(&self) -> Vec<Value> {
        let created = edlink_date(1_574_036_370_432); // 2019-11-18T00:19:30.432Z
        self.providers
            .iter()
            .zip(PROVIDERS.iter())
            .map(|(p, (_, _, _, needs_url))| {
                let configuration = if *needs_url {
                    json!({
                        "url": {"type": "string", "title": format!("{} URL", p.name), "required": true},
                        "application_id": {"type": "string", "title": "Application ID"},
                        "application_secret": {"type": "string", "title": "Application Secret"}
                    })
                } else {
                    json!({})
                };
                json!({
                    "id": p.id,
                    "created_date": created,
                    "updated_date": created,
                    "application": p.application,
                    "name": p.name,
                    "icon_url": format!("https://ed.link/source/{}.png", p.application),
                    "configuration": configuration,
                    "requires_administrator_login": *needs_url,
                    "requires_administrator_consent": !*needs_url,
                    "allows_data_sync": p.allows_data_sync,
                    "requires_remote_configuration": p.application == "oneroster"
                })
            })
            .collect()
    }

    /// The full permission objects (v1 Permission model), in catalogue order. One carries an
    /// extra field that no documented model has, to exercise forward compatibility.
    pub(crate) fn permission_objects(&self) -> Vec<Value> {
        let created = edlink_date(1_574_036_299_088); // 2019-11-18T00:18:19.088Z
        self.permission_ids
            .iter()
            .zip(PERMISSIONS.iter())
            .map(|(id, (group, name, scoped, description))| {
                let mut value = json!({
                    "id": id,
                    "created_date": created,
                    "updated_date": created,
                    "scoped": scoped,
                    "group": group,
                    "name": name,
                    "description": description,
                    "active": true
                });
                if *name == "Modify Grades" {
                    if let Some(map) = value.as_object_mut() {
                        map.insert("beta".to_owned(), Value::Bool(true));
                    }
                }
                value
            })
            .collect()
    }
}
