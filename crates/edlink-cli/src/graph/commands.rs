//! The table of Graph commands: every resource, whether it can be fetched by
//! id, and its nested lists (the client's, one for one). One declaration
//! makes both the clap subcommands and their dispatch, so a command always
//! runs the request its name says.

use clap::Subcommand;
use edlink_client::model::{
    Agent, Class, Course, District, Enrollment, Event, License, Person, School, Section, Session,
};

use super::args::{GetArgs, GraphListArgs, NestedArgs, filter_help};
use super::run::{get, list};
use crate::exit::Failure;
use crate::run::Context;

/// Declares the Graph resources. For each: its subcommand and action enum,
/// the client accessor and model, `Get` if it can be fetched by id, and
/// each nested list (`Variant => client method: child model`).
macro_rules! graph_commands {
    ($(
        $(#[$doc:meta])*
        $variant:ident($action:ident) => $accessor:ident: $model:ty $(, $get:ident)? {
            $( $nested_variant:ident => $nested:ident: $child:ty, )*
        }
    )+) => {
        /// The Graph resources.
        #[derive(Debug, Subcommand)]
        pub enum GraphCommand {
            $(
                $(#[$doc])*
                $variant {
                    /// `list`, `get` or a nested list.
                    #[command(subcommand)]
                    action: $action,
                },
            )+
        }

        $(
            #[doc = concat!("What `edlink graph ", stringify!($accessor), "` does.")]
            #[derive(Debug, Subcommand)]
            pub enum $action {
                #[doc = concat!("`/", stringify!($accessor), "`: list every item, following every page.")]
                #[command(
                    about = "List every item, following every page",
                    after_help = filter_help::<$model>()
                )]
                List(GraphListArgs),
                $(
                    #[doc = concat!("`/", stringify!($accessor), "/ID`: fetch one item by id.")]
                    #[command(about = "Fetch one item by id")]
                    $get(GetArgs),
                )?
                $(
                    #[doc = concat!("`/", stringify!($accessor), "/ID/", stringify!($nested), "`.")]
                    #[command(
                        about = concat!(
                            "List the ", stringify!($nested), " of one item (/",
                            stringify!($accessor), "/ID/", stringify!($nested), ")"
                        ),
                        after_help = filter_help::<$child>()
                    )]
                    $nested_variant(NestedArgs),
                )*
            }
        )+

        /// Runs a Graph command.
        pub async fn run(context: &Context, command: &GraphCommand) -> Result<(), Failure> {
            match command {
                $(
                    GraphCommand::$variant { action } => match action {
                        $action::List(args) => {
                            list(context, args, |graph| graph.$accessor().list()).await
                        }
                        $(
                            $action::$get(args) => {
                                get(context, args, |graph| graph.$accessor().get(args.id)).await
                            }
                        )?
                        $(
                            $action::$nested_variant(args) => {
                                list(context, &args.list, |graph| {
                                    graph.$accessor().$nested(args.id)
                                })
                                .await
                            }
                        )*
                    },
                )+
            }
        }
    };
}

graph_commands! {
    /// The integration's district (`/districts`).
    Districts(DistrictsAction) => districts: District, Get {
        Administrators => administrators: Person,
    }
    /// The district's schools (`/schools`).
    Schools(SchoolsAction) => schools: School, Get {
        Classes => classes: Class,
        Courses => courses: Course,
        Sessions => sessions: Session,
        People => people: Person,
        Administrators => administrators: Person,
        Teachers => teachers: Person,
        Students => students: Person,
    }
    /// School years, semesters and terms (`/sessions`).
    Sessions(SessionsAction) => sessions: Session, Get {}
    /// Courses: what classes teach (`/courses`).
    Courses(CoursesAction) => courses: Course, Get {
        Classes => classes: Class,
    }
    /// Classes (`/classes`).
    Classes(ClassesAction) => classes: Class, Get {
        Sections => sections: Section,
        Enrollments => enrollments: Enrollment,
        People => people: Person,
        Teachers => teachers: Person,
        Students => students: Person,
    }
    /// Sections of classes (`/sections`).
    Sections(SectionsAction) => sections: Section, Get {
        Enrollments => enrollments: Enrollment,
        People => people: Person,
        Teachers => teachers: Person,
        Students => students: Person,
    }
    /// Students, teachers, administrators, guardians… (`/people`).
    People(PeopleAction) => people: Person, Get {
        Enrollments => enrollments: Enrollment,
        Districts => districts: District,
        Schools => schools: School,
        Classes => classes: Class,
        Sections => sections: Section,
        Agents => agents: Agent,
    }
    /// Who is in which class, with which role (`/enrollments`).
    Enrollments(EnrollmentsAction) => enrollments: Enrollment, Get {}
    /// Guardians and others acting for a person (`/agents`).
    Agents(AgentsAction) => agents: Agent, Get {}
    /// Product licenses (`/licenses`; list only, as Edlink documents it).
    Licenses(LicensesAction) => licenses: License {}
    /// What changed, oldest first (`/events`; page forward only).
    Events(EventsAction) => events: Event, Get {}
}
