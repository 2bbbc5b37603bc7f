//! The table columns of each Graph resource: the id, then what tells the
//! items apart at a glance. Names and lists are free text (cut first to fit
//! the terminal); ids, dates and codes are never cut. `--format json` shows
//! everything, expansions included.

use edlink_client::model::{
    Agent, Class, Course, District, Enrollment, Event, License, Person, School, Section, Session,
};

use super::args::QueryArgs;
use crate::output::table::{Column, fixed, text};

/// The columns of a resource's table.
pub trait Columns {
    /// The default columns.
    const COLUMNS: &'static [Column];
}

/// The columns for a listing or fetch of `R`: with `--fields`, `ID` and the
/// fields asked for, in that order; otherwise the resource's own.
pub fn for_query<R: Columns>(query: &QueryArgs) -> Vec<Column> {
    match &query.fields {
        Some(fields) => {
            let mut names: Vec<&str> = vec!["id"];
            for name in fields.iter().map(|f| f.trim()) {
                if !name.is_empty() && !names.contains(&name) {
                    names.push(name);
                }
            }
            let mut columns = vec![fixed("ID", "/id")];
            columns.extend(names[1..].iter().map(|name| Column::member(name)));
            columns
        }
        None => R::COLUMNS.to_vec(),
    }
}

impl Columns for District {
    const COLUMNS: &'static [Column] = &[
        fixed("ID", "/id"),
        text("NAME", "/name"),
        fixed("TIME ZONE", "/time_zone"),
        fixed("LOCALE", "/locale"),
        fixed("UPDATED", "/updated_date"),
    ];
}

impl Columns for School {
    const COLUMNS: &'static [Column] = &[
        fixed("ID", "/id"),
        text("NAME", "/name"),
        text("GRADES", "/grade_levels"),
        fixed("TIME ZONE", "/time_zone"),
        fixed("UPDATED", "/updated_date"),
    ];
}

impl Columns for Session {
    const COLUMNS: &'static [Column] = &[
        fixed("ID", "/id"),
        text("NAME", "/name"),
        fixed("TYPE", "/type"),
        fixed("STATE", "/state"),
        fixed("START", "/start_date"),
        fixed("END", "/end_date"),
    ];
}

impl Columns for Course {
    const COLUMNS: &'static [Column] = &[
        fixed("ID", "/id"),
        text("CODE", "/code"),
        text("NAME", "/name"),
        text("GRADES", "/grade_levels"),
        text("SUBJECTS", "/subjects"),
    ];
}

impl Columns for Class {
    const COLUMNS: &'static [Column] = &[
        fixed("ID", "/id"),
        text("NAME", "/name"),
        fixed("STATE", "/state"),
        text("GRADES", "/grade_levels"),
        text("SUBJECTS", "/subjects"),
        text("PERIODS", "/periods"),
    ];
}

impl Columns for Section {
    const COLUMNS: &'static [Column] = &[
        fixed("ID", "/id"),
        text("NAME", "/name"),
        fixed("STATE", "/state"),
        text("PERIODS", "/periods"),
        fixed("CLASS", "/class_id"),
    ];
}

impl Columns for Person {
    const COLUMNS: &'static [Column] = &[
        fixed("ID", "/id"),
        text("FIRST NAME", "/first_name"),
        text("LAST NAME", "/last_name"),
        text("ROLES", "/roles"),
        text("GRADES", "/grade_levels"),
        text("EMAIL", "/email"),
    ];
}

impl Columns for Enrollment {
    const COLUMNS: &'static [Column] = &[
        fixed("ID", "/id"),
        fixed("ROLE", "/role"),
        fixed("STATE", "/state"),
        fixed("PRIMARY", "/primary"),
        fixed("PERSON", "/person_id"),
        fixed("CLASS", "/class_id"),
    ];
}

impl Columns for Agent {
    const COLUMNS: &'static [Column] = &[
        fixed("ID", "/id"),
        text("RELATIONSHIP", "/relationship"),
        fixed("OBSERVER", "/observer_id"),
        fixed("TARGET", "/target_id"),
    ];
}

impl Columns for License {
    const COLUMNS: &'static [Column] = &[
        fixed("ID", "/id"),
        fixed("PRODUCT", "/product_id"),
        fixed("SCHOOLS", "/school_count"),
        fixed("CLASSES", "/class_count"),
        fixed("PEOPLE", "/person_count"),
    ];
}

impl Columns for Event {
    const COLUMNS: &'static [Column] = &[
        fixed("ID", "/id"),
        fixed("DATE", "/date"),
        fixed("TYPE", "/type"),
        fixed("TARGET", "/target"),
        fixed("TARGET ID", "/target_id"),
    ];
}
