//! The table of `edlink my` commands: the person's profile, integration and
//! source, and their own collections with each one's nested lists (the
//! library's `User` API, one for one). One declaration makes both the clap
//! subcommands and their dispatch, as for `edlink graph`.

use clap::Subcommand;
use edlink_client::model::{Agent, Class, District, Enrollment, Person, School, Section};

use super::session;
use crate::exit::Failure;
use crate::graph::args::{GetArgs, GraphListArgs, NestedArgs, QueryArgs, filter_help};
use crate::graph::run::{print_get, print_list};
use crate::run::Context;

/// Declares the User API's collections. For each: its subcommand and action
/// enum, the `User` accessor and model, and each nested list.
macro_rules! my_commands {
    ($(
        $(#[$doc:meta])*
        $variant:ident($action:ident) => $accessor:ident: $model:ty {
            $( $nested_variant:ident => $nested:ident: $child:ty, )*
        }
    )+) => {
        /// The User API's reads.
        #[derive(Debug, Subcommand)]
        pub enum MyCommand {
            /// Your own person record (`/my/profile`).
            Profile(QueryArgs),
            /// The integration you signed in through (`/my/integration`).
            Integration(QueryArgs),
            /// The district's data source behind it (`/my/source`).
            Source(QueryArgs),
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
            #[doc = concat!("What `edlink my ", stringify!($accessor), "` does.")]
            #[derive(Debug, Subcommand)]
            pub enum $action {
                #[doc = concat!("`/my/", stringify!($accessor), "`: list every item.")]
                #[command(
                    about = "List every item, following every page",
                    after_help = filter_help::<$model>()
                )]
                List(GraphListArgs),
                #[doc = concat!("`/my/", stringify!($accessor), "/ID`: fetch one item by id.")]
                #[command(about = "Fetch one item by id")]
                Get(GetArgs),
                $(
                    #[doc = concat!("`/my/", stringify!($accessor), "/ID/", stringify!($nested), "`.")]
                    #[command(
                        about = concat!(
                            "List the ", stringify!($nested), " of one of your ",
                            stringify!($accessor), " (/my/", stringify!($accessor), "/ID/",
                            stringify!($nested), ")"
                        ),
                        after_help = filter_help::<$child>()
                    )]
                    $nested_variant(NestedArgs),
                )*
            }
        )+

        /// Runs an `edlink my` command. Filters are checked before the
        /// session is opened (a bad one is exit 2 with no request); errors
        /// of its requests are marked as the User API's, so their hints
        /// speak of signing in again.
        pub async fn run(context: &Context, command: &MyCommand) -> Result<(), Failure> {
            let result = match command {
                MyCommand::Profile(query) => {
                    let user = session::open(context).await?;
                    print_get(context, query, user.profile()).await
                }
                MyCommand::Integration(query) => {
                    let user = session::open(context).await?;
                    print_get(context, query, user.integration()).await
                }
                MyCommand::Source(query) => {
                    let user = session::open(context).await?;
                    print_get(context, query, user.source()).await
                }
                $(
                    MyCommand::$variant { action } => match action {
                        $action::List(args) => {
                            let filter = args.filter::<$model>()?;
                            let user = session::open(context).await?;
                            print_list(context, args, user.$accessor().list().filter(filter)).await
                        }
                        $action::Get(args) => {
                            let user = session::open(context).await?;
                            print_get(context, &args.query, user.$accessor().get(args.id)).await
                        }
                        $(
                            $action::$nested_variant(args) => {
                                let filter = args.list.filter::<$child>()?;
                                let user = session::open(context).await?;
                                let request = user.$accessor().$nested(args.id).filter(filter);
                                print_list(context, &args.list, request).await
                            }
                        )*
                    },
                )+
            };
            result.map_err(Failure::on_user)
        }
    };
}

my_commands! {
    /// Your districts (`/my/districts`).
    Districts(DistrictsAction) => districts: District {}
    /// Your schools (`/my/schools`).
    Schools(SchoolsAction) => schools: School {}
    /// Your classes (`/my/classes`).
    Classes(ClassesAction) => classes: Class {
        People => people: Person,
        Teachers => teachers: Person,
        Students => students: Person,
        Enrollments => enrollments: Enrollment,
        Sections => sections: Section,
    }
    /// Your sections (`/my/sections`).
    Sections(SectionsAction) => sections: Section {
        People => people: Person,
        Teachers => teachers: Person,
        Students => students: Person,
        Enrollments => enrollments: Enrollment,
    }
    /// Your guardians and others acting for you, or those you act for (`/my/agents`).
    Agents(AgentsAction) => agents: Agent {}
    /// Your enrollments (`/my/enrollments`).
    Enrollments(EnrollmentsAction) => enrollments: Enrollment {}
}
