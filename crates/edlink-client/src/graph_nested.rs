//! The nested lists of the Graph API (`/schools/:id/classes`, …): one line
//! each, on the same listing machinery as every collection.

use edlink_model::{Agent, Class, Course, District, Enrollment, Person, School, Section, Session};
use uuid::Uuid;

use crate::{ListRequest, Resources};

/// Declares the nested lists of one Graph collection: for each, a method of
/// `Resources<Parent>` that lists the `Child` objects under one parent id.
macro_rules! nested_lists {
    ($parent:ty, $accessor:literal { $( $method:ident => $segment:literal : $child:ty, )+ }) => {
        impl Resources<$parent> {
            $(
                #[doc = concat!(
                    "`", $accessor, "/:id/", $segment, "`: the ", $segment,
                    " of one object, a listing like any other (filters, \
                     expansions, paging, streams).\n\n```\n",
                    "# let graph = edlink_client::Client::builder()\
                     .transport(edlink_client::TestTransport::new()).build()?.graph(\"token\");\n",
                    "let request = graph.", $accessor, "().", stringify!($method),
                    "(uuid::Uuid::nil()).first(100);\n",
                    "# let _ = request;\n# Ok::<(), edlink_client::Error>(())\n```"
                )]
                pub fn $method(&self, id: Uuid) -> ListRequest<$child> {
                    self.nested::<$child>(id, $segment)
                }
            )+
        }
    };
}

nested_lists!(District, "districts" {
    administrators => "administrators": Person,
});

nested_lists!(School, "schools" {
    classes => "classes": Class,
    courses => "courses": Course,
    sessions => "sessions": Session,
    people => "people": Person,
    administrators => "administrators": Person,
    teachers => "teachers": Person,
    students => "students": Person,
});

nested_lists!(Course, "courses" {
    classes => "classes": Class,
});

nested_lists!(Class, "classes" {
    sections => "sections": Section,
    enrollments => "enrollments": Enrollment,
    people => "people": Person,
    teachers => "teachers": Person,
    students => "students": Person,
});

nested_lists!(Section, "sections" {
    enrollments => "enrollments": Enrollment,
    people => "people": Person,
    teachers => "teachers": Person,
    students => "students": Person,
});

nested_lists!(Person, "people" {
    enrollments => "enrollments": Enrollment,
    districts => "districts": District,
    schools => "schools": School,
    classes => "classes": Class,
    sections => "sections": Section,
    agents => "agents": Agent,
});
