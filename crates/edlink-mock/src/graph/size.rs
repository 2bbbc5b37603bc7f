//! [`GraphSize`]: how big each generated district is.

/// How big the district generated behind each integration is. The defaults are small, so
/// tests are fast: 40 students, 2 schools, 1 teacher per 15 students, 3 classes per teacher,
/// 4 classes per student.
///
/// Guardians (about 0.85 per student), administrators (one per school and one for the
/// district), a few staff members, sessions, courses, sections, agents, licenses and a short
/// event history follow from these counts (docs/mock.md, "Generated districts").
///
/// ```
/// use edlink_mock::{GraphSize, MockServer};
/// let size = GraphSize::default().students(100_000).schools(12);
/// assert_eq!(size.teacher_count(), 6_667);
/// let builder = MockServer::builder().graph_size(size);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct GraphSize {
    /// Students per district.
    pub students: usize,
    /// Schools per district (at least 1). About one integration in eight has none in its
    /// source and gets the single "`<district name>` (District Office)" school instead.
    pub schools: usize,
    /// Teachers per district; `None`: one per 15 students (at least one).
    pub teachers: Option<usize>,
    /// Classes each teacher teaches.
    pub classes_per_teacher: usize,
    /// Classes each student is enrolled in (at most the classes of the student's school).
    pub classes_per_student: usize,
}

impl Default for GraphSize {
    fn default() -> Self {
        Self {
            students: 40,
            schools: 2,
            teachers: None,
            classes_per_teacher: 3,
            classes_per_student: 4,
        }
    }
}

impl GraphSize {
    /// Students per district.
    pub fn students(mut self, n: usize) -> Self {
        self.students = n;
        self
    }

    /// Schools per district (0 is read as 1).
    pub fn schools(mut self, n: usize) -> Self {
        self.schools = n;
        self
    }

    /// Teachers per district (instead of one per 15 students).
    pub fn teachers(mut self, n: usize) -> Self {
        self.teachers = Some(n);
        self
    }

    /// Classes each teacher teaches.
    pub fn classes_per_teacher(mut self, n: usize) -> Self {
        self.classes_per_teacher = n;
        self
    }

    /// Classes each student is enrolled in.
    pub fn classes_per_student(mut self, n: usize) -> Self {
        self.classes_per_student = n;
        self
    }

    /// The number of teachers this size gives.
    pub fn teacher_count(&self) -> usize {
        self.teachers
            .unwrap_or_else(|| self.students.div_ceil(15))
            .max(1)
    }

    /// The number of real schools (at least 1).
    pub fn school_count(&self) -> usize {
        self.schools.max(1)
    }
}
