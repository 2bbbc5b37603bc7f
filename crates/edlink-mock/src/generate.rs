//! Deterministic generation of realistic Integration objects (same seed, same bytes).

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::catalog::{Catalog, ProviderRef};
use crate::json::Obj;
use crate::prng::SplitMix64;
use crate::text::{edlink_date, uuid_string};

/// `(city, state, zip)`: some zips have leading zeros, which is why `zip` is a string.
const PLACES: [(&str, &str, &str); 16] = [
    ("Austin", "TX", "78701"),
    ("Boston", "MA", "02108"),
    ("Springfield", "IL", "62701"),
    ("Portland", "OR", "97201"),
    ("Newark", "NJ", "07102"),
    ("Denver", "CO", "80202"),
    ("Madison", "WI", "53703"),
    ("Burlington", "VT", "05401"),
    ("Tulsa", "OK", "74103"),
    ("Fresno", "CA", "93721"),
    ("Albany", "NY", "12207"),
    ("Raleigh", "NC", "27601"),
    ("Provo", "UT", "84601"),
    ("Hartford", "CT", "06103"),
    ("Anchorage", "AK", "99501"),
    ("San Juan", "PR", "00901"),
];
const PREFIXES: [&str; 8] = [
    "",
    "North ",
    "East ",
    "West ",
    "Lake ",
    "Green Valley ",
    "Cedar ",
    "Riverside ",
];
const KINDS: [&str; 6] = [
    "Independent School District",
    "Public Schools",
    "Unified School District",
    "City Schools",
    "University",
    "Academy",
];
const STREETS: [&str; 8] = [
    "San Jacinto Blvd",
    "Main St",
    "Oak Ave",
    "Congress Ave",
    "Elm St",
    "Washington Rd",
    "Park Pl",
    "Maple Dr",
];
/// Documented values plus a few that no doc lists (clients must keep them).
const STATUSES: [(&str, u32); 8] = [
    ("active", 55),
    ("inactive", 10),
    ("disabled", 10),
    ("requested", 8),
    ("paused", 6),
    ("scheduled", 4),
    ("paused_by_district", 4),
    ("migrating", 3),
];
const SHARING: [(&str, u32); 4] = [("all", 5), ("rules", 3), ("limited", 2), ("per_school", 1)];
const SOURCE_STATUSES: [(&str, u32); 4] = [
    ("active", 90),
    ("error", 4),
    ("disabled", 3),
    ("inactive", 3),
];
const TOKEN_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/// 2019-06-01 .. 2025-12-31, in ms.
const CREATED_FROM: u64 = 1_559_347_200_000;
const CREATED_TO: u64 = 1_767_139_200_000;
/// 2026-06-01: no date in the future of the data.
const UPDATED_MAX: u64 = 1_780_272_000_000;

struct Integration {
    id: String,
    status: &'static str,
    scope: Option<&'static str>,
    district_sharing: Option<&'static str>,
    developer_sharing: Option<&'static str>,
    district_licensing_enabled: Option<bool>,
    created_date: String,
    updated_date: String,
    permissions: Vec<String>,
    targets: Option<Vec<String>>,
    start_date: Option<Option<String>>,
    end_date: Option<Option<String>>,
    access_token: String,
    source: Source,
    provider: Provider,
    team: Team,
    entity: Value,
    extra: Map<String, Value>,
}

impl Integration {
    fn write(&self, out: &mut String) {
        let mut o = Obj::new(out);
        o.str("id", &self.id).str("status", self.status);
        if let Some(v) = self.scope {
            o.str("scope", v);
        }
        if let Some(v) = self.district_sharing {
            o.str("district_sharing", v);
        }
        if let Some(v) = self.developer_sharing {
            o.str("developer_sharing", v);
        }
        if let Some(v) = self.district_licensing_enabled {
            o.bool("district_licensing_enabled", v);
        }
        o.str("created_date", &self.created_date)
            .str("updated_date", &self.updated_date)
            .str_array("permissions", &self.permissions);
        if let Some(v) = &self.targets {
            o.str_array("targets", v);
        }
        if let Some(v) = &self.start_date {
            o.opt_str("start_date", v.as_deref());
        }
        if let Some(v) = &self.end_date {
            o.opt_str("end_date", v.as_deref());
        }
        o.str("access_token", &self.access_token);
        self.source.write(o.key("source"));
        self.provider.write(o.key("provider"));
        self.team.write(o.key("team"));
        o.raw("entity", &self.entity.to_string());
        for (k, v) in &self.extra {
            o.raw(k, &v.to_string());
        }
        o.end();
    }
}

struct Source {
    id: String,
    status: &'static str,
    name: String,
    created_date: String,
    updated_date: String,
    import_interval: Option<u64>,
    log_retention_time: u64,
}

impl Source {
    fn write(&self, out: &mut String) {
        let mut o = Obj::new(out);
        o.str("id", &self.id)
            .str("status", self.status)
            .str("name", &self.name)
            .str("created_date", &self.created_date)
            .str("updated_date", &self.updated_date);
        match self.import_interval {
            Some(v) => o.num("import_interval", v),
            None => o.raw("import_interval", "null"),
        };
        o.num("log_retention_time", self.log_retention_time).end();
    }
}

struct Provider {
    id: String,
    name: &'static str,
    application: &'static str,
    allows_data_sync: bool,
}

impl Provider {
    fn write(&self, out: &mut String) {
        Obj::new(out)
            .str("id", &self.id)
            .str("name", self.name)
            .str("application", self.application)
            .bool("allows_data_sync", self.allows_data_sync)
            .end();
    }
}

struct Team {
    id: String,
    kind: &'static str,
    name: String,
    alias: String,
    street_address: String,
    unit_number: Option<String>,
    city: &'static str,
    state: &'static str,
    zip: &'static str,
    country: &'static str,
}

impl Team {
    fn write(&self, out: &mut String) {
        Obj::new(out)
            .str("id", &self.id)
            .str("type", self.kind)
            .str("name", &self.name)
            .str("alias", &self.alias)
            .str("street_address", &self.street_address)
            .opt_str("unit_number", self.unit_number.as_deref())
            .str("city", self.city)
            .str("state", self.state)
            .str("zip", self.zip)
            .str("country", self.country)
            .end();
    }
}

/// `count` distinct ids, ascending.
fn ids(rng: &mut SplitMix64, count: usize) -> Vec<u128> {
    let mut set = BTreeSet::new();
    while set.len() < count {
        set.insert(rng.uuid());
    }
    set.into_iter().collect()
}

fn token(rng: &mut SplitMix64) -> String {
    (0..32)
        .map(|_| char::from(TOKEN_CHARS[rng.below(TOKEN_CHARS.len() as u64) as usize]))
        .collect()
}

fn alias(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn team(rng: &mut SplitMix64) -> Team {
    let (city, state, zip) = rng.pick(&PLACES).copied().unwrap_or(PLACES[0]);
    let prefix = rng.pick(&PREFIXES).copied().unwrap_or("");
    let developer = rng.chance(0.05);
    let (kind, name) = if developer {
        ("developer", format!("{prefix}{city} Learning Labs"))
    } else {
        let k = rng.pick(&KINDS).copied().unwrap_or(KINDS[0]);
        ("district", format!("{prefix}{city} {k}"))
    };
    let street = rng.pick(&STREETS).copied().unwrap_or(STREETS[0]);
    let unit_number = match rng.below(5) {
        0 | 1 => None,
        2 => Some(format!("Ste {}", rng.range(100, 999))),
        3 => Some(format!("Room {}", rng.range(1, 40))),
        _ => Some("Building B".to_owned()),
    };
    Team {
        id: uuid_string(rng.uuid()),
        kind,
        alias: alias(&name),
        name,
        street_address: format!("{} {street}", rng.range(1, 9999)),
        unit_number,
        city,
        state,
        zip,
        country: "United States",
    }
}

fn one(rng: &mut SplitMix64, id: u128, catalog: &Catalog) -> Integration {
    let created = rng.range(CREATED_FROM, CREATED_TO);
    let updated = (created + rng.below(2 * 365 * 86_400_000)).min(UPDATED_MAX);
    let fallback = ProviderRef {
        id: uuid_string(0),
        name: "Canvas",
        application: "canvas",
        allows_data_sync: true,
    };
    let provider = rng.pick(&catalog.providers).cloned().unwrap_or(fallback);
    let team = team(rng);
    // Shapes: 0 = old v1 sample (scope/targets), 1 = newer live sample (sharing fields), 2 = both.
    let shape = rng
        .weighted(&[(0u8, 5), (1, 4), (2, 1)])
        .copied()
        .unwrap_or(0);
    let old = shape != 1;
    let new = shape != 0;
    let scope = if rng.chance(0.7) { "all" } else { "selected" };
    let targets = (old && !rng.chance(0.1)).then(|| {
        let n = if scope == "selected" {
            rng.range(1, 4)
        } else {
            0
        };
        (0..n).map(|_| uuid_string(rng.uuid())).collect()
    });
    let mut permissions: Vec<String> = Vec::new();
    for _ in 0..rng.range(1, 5) {
        if let Some(p) = rng.pick(&catalog.permission_ids) {
            if !permissions.contains(p) {
                permissions.push(p.clone());
            }
        }
    }
    let date_or_null = |rng: &mut SplitMix64, p_null: f64, base: u64| {
        if rng.chance(p_null) {
            None
        } else {
            Some(edlink_date((base + rng.below(400 * 86_400_000)) as i64))
        }
    };
    let start_date = new.then(|| date_or_null(rng, 0.6, created));
    let end_date = new.then(|| date_or_null(rng, 0.7, created + 200 * 86_400_000));
    let source_created = created.saturating_sub(rng.below(30 * 86_400_000));
    let source = Source {
        id: uuid_string(rng.uuid()),
        status: rng.weighted(&SOURCE_STATUSES).copied().unwrap_or("active"),
        name: format!("{} {}", team.name, provider.name),
        created_date: edlink_date(source_created as i64),
        updated_date: edlink_date((source_created + rng.below(86_400_000)) as i64),
        import_interval: if rng.chance(0.03) {
            None
        } else {
            rng.pick(&[900, 3600, 21_600, 86_400]).copied()
        },
        log_retention_time: rng
            .pick(&[604_800, 1_209_600, 2_592_000])
            .copied()
            .unwrap_or(604_800),
    };
    let entity = if rng.chance(0.15) {
        json!({"id": uuid_string(rng.uuid()), "type": "school", "name": format!("{} High School", team.city)})
    } else {
        Value::Null
    };
    let mut extra = Map::new();
    if rng.chance(0.10) {
        extra.insert("region_id".into(), Value::String(uuid_string(rng.uuid())));
    }
    if rng.chance(0.05) {
        extra.insert("lti_consumer_key".into(), Value::Null);
    }
    if rng.chance(0.03) {
        extra.insert("locked".into(), Value::Bool(false));
    }
    Integration {
        id: uuid_string(id),
        status: rng.weighted(&STATUSES).copied().unwrap_or("active"),
        scope: old.then_some(scope),
        district_sharing: new.then(|| rng.weighted(&SHARING).copied().unwrap_or("all")),
        developer_sharing: new.then(|| rng.weighted(&SHARING).copied().unwrap_or("all")),
        district_licensing_enabled: new.then(|| rng.chance(0.2)),
        created_date: edlink_date(created as i64),
        updated_date: edlink_date(updated as i64),
        permissions,
        targets,
        start_date,
        end_date,
        access_token: token(rng),
        source,
        provider: Provider {
            id: provider.id,
            name: provider.name,
            application: provider.application,
            allows_data_sync: provider.allows_data_sync,
        },
        team,
        entity,
        extra,
    }
}

/// `count` integrations from `seed`, serialized, in ascending id order.
pub(crate) fn integrations(count: usize, seed: u64, catalog: &Catalog) -> Vec<(u128, Vec<u8>)> {
    let mut rng = SplitMix64::new(seed);
    let ids = ids(&mut rng, count);
    ids.into_iter()
        .map(|id| {
            // Each item gets its own stream, so item k does not depend on how long item k-1 was.
            let mut item_rng = SplitMix64::new(seed ^ (id as u64) ^ ((id >> 64) as u64));
            let item = one(&mut item_rng, id, catalog);
            let mut out = String::with_capacity(1_600);
            item.write(&mut out);
            (id, out.into_bytes())
        })
        .collect()
}
