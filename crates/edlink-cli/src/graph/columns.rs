//! The table columns of each Graph resource: the id, then what tells the
//! items apart at a glance. Names and lists are free text (cut first to fit
//! the terminal); ids, dates and codes are never cut. `--format json` shows
//! everything, expansions included.

use edlink_client::model::{
    Agent, Class, Course, District, Enrollment, Event, Integration, License, Person, School,
    Section, Session, Source,
};

use super::args::QueryArgs;
use crate::output::table::{Column, fixed, text};

/// The columns of a resource's table.
pub trait Columns {
    /// The default columns.
    const COLUMNS: &'static [Column];
}

/// The columns for a listing or fetch of `R`: with `--fields`, `ID` and the
/// fields asked for, in that order; otherwise the resource's own. Then one
/// column per expansion not already shown (its objects by name).
pub fn for_query<R: Columns>(query: &QueryArgs) -> Vec<Column> {
    let mut columns = match &query.fields {
        Some(fields) => {
            let mut columns = vec![fixed("ID", "/id")];
            columns.extend(members(fields, &[]).into_iter().map(Column::member));
            columns
        }
        None => R::COLUMNS.to_vec(),
    };
    let shown: Vec<&str> = query.fields.iter().flatten().map(|f| f.trim()).collect();
    columns.extend(
        members(&query.expand, &shown)
            .into_iter()
            .map(Column::member),
    );
    columns
}

/// The names given, trimmed, each once, without `id` and `skip`.
fn members<'a>(names: &'a [String], skip: &[&str]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for name in names.iter().map(|n| n.trim()) {
        if !name.is_empty() && name != "id" && !skip.contains(&name) && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// `/my/integration` (the User API's v2 form: `state`, not `status`).
impl Columns for Integration {
    const COLUMNS: &'static [Column] = &[
        fixed("ID", "/id"),
        fixed("STATE", "/state"),
        fixed("SOURCE", "/source_id"),
        fixed("CREATED", "/created_date"),
    ];
}

/// `/my/source`.
impl Columns for Source {
    const COLUMNS: &'static [Column] = &[
        fixed("ID", "/id"),
        text("NAME", "/name"),
        fixed("STATE", "/state"),
        text("PROVIDER", "/provider/name"),
        fixed("UPDATED", "/updated_date"),
    ];
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

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(columns: &[Column]) -> String {
        let mut out = Vec::new();
        let mut table = crate::output::table::Table::new(columns.to_vec(), None);
        table.finish(&mut out).unwrap_or_default();
        String::from_utf8(out).unwrap_or_default()
    }

    fn query(expand: &[&str], fields: Option<&[&str]>) -> QueryArgs {
        let owned = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect();
        QueryArgs {
            expand: owned(expand),
            fields: fields.map(owned),
        }
    }

    #[test]
    fn fields_replace_and_expansions_add_columns() {
        assert_eq!(
            titles(&for_query::<Person>(&query(&[], None))),
            "ID  FIRST NAME  LAST NAME  ROLES  GRADES  EMAIL\n"
        );
        assert_eq!(
            titles(&for_query::<Person>(&query(
                &["schools", " district"],
                None
            ))),
            "ID  FIRST NAME  LAST NAME  ROLES  GRADES  EMAIL  SCHOOLS  DISTRICT\n"
        );
        assert_eq!(
            titles(&for_query::<Person>(&query(
                &["schools"],
                Some(&["first_name", "id", "schools", "first_name", ""])
            ))),
            "ID  FIRST NAME  SCHOOLS\n"
        );
    }
}
