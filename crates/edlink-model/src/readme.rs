//! Compiles and runs the README's example as a doc test, so it stays true.

#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
