//! Incremental sync: the events feed, in order, each page stored with the
//! id of its last event.

use edlink_model::{Event, EventType};
use uuid::Uuid;

use super::{Engine, IntegrationReport, SyncError};
use crate::{Change, Checkpoint, Phase, Progress, ResourceKind, Source, Store, StoredObject};

impl<S: Store> Engine<S> {
    /// Applies every event after the checkpoint. An aged-out checkpoint is
    /// returned as `SyncError::Source` with `SourceError::EventsAgedOut`.
    pub(super) async fn incremental<Src: Source>(
        &self,
        integration: Uuid,
        source: &Src,
        checkpoint: Checkpoint,
        report: &mut IntegrationReport,
    ) -> Result<(), SyncError> {
        let Phase::Incremental { mut after_event } = checkpoint.phase else {
            return Ok(());
        };
        loop {
            let doing = match after_event {
                Some(a) => format!("reading events after {a}"),
                None => "reading events".to_owned(),
            };
            let page = self
                .retry(integration, &doing, || {
                    source.events(after_event, self.event_page_size)
                })
                .await?;
            let Some(last) = page.events.last().map(|e| e.id) else {
                return Ok(());
            };
            let mut changes = Vec::with_capacity(page.events.len());
            for event in &page.events {
                match change_of(event)? {
                    Some(c) => changes.push(c),
                    None => report.events_skipped += 1,
                }
            }
            let applied = page.events.len() as u64;
            let next = Checkpoint::new(
                checkpoint.generation,
                Phase::Incremental {
                    after_event: Some(last),
                },
            );
            self.store.apply_events(integration, changes, next).await?;
            report.events_applied += applied;
            after_event = Some(last);
            tracing::debug!(%integration, applied, "events applied");
            self.report(Progress::Events {
                integration,
                applied: report.events_applied,
            });
            if !page.has_more {
                return Ok(());
            }
        }
    }
}

/// What `event` does to the mirror; `None` when it cannot be applied and
/// is skipped (an unknown type or target, a missing `data` or id), with a
/// warning.
fn change_of(event: &Event) -> Result<Option<Change>, SyncError> {
    let skip = |why: &str| {
        tracing::warn!(event = %event.id, reason = why, "event skipped");
        Ok(None)
    };
    let Some(target) = &event.target else {
        return skip("no target");
    };
    let Some(kind) = ResourceKind::from_event_target(target) else {
        return skip("a target this version does not mirror");
    };
    match &event.event_type {
        Some(EventType::Created | EventType::Updated) => {
            let data = event.data.as_ref().map(|d| d.as_str().trim());
            match data {
                None | Some("null" | "{}") => skip("created or updated without data"),
                Some(text) => StoredObject::from_json(kind, text.to_owned())
                    .map(|o| Some(Change::Upsert(o)))
                    .map_err(|source| SyncError::InvalidEvent {
                        event: event.id,
                        source,
                    }),
            }
        }
        Some(EventType::Deleted) => {
            let id = event.target_id.or_else(|| {
                event
                    .data
                    .as_ref()
                    .and_then(|d| StoredObject::from_json(kind, d.as_str().to_owned()).ok())
                    .map(|o| o.id())
            });
            match id {
                Some(id) => Ok(Some(Change::Delete { kind, id })),
                None => skip("deleted without target_id"),
            }
        }
        _ => skip("an unknown event type"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn event(text: &str) -> Event {
        serde_json::from_str(text).unwrap()
    }

    const ID: &str = "00000000-0000-0000-0000-000000000001";
    const TARGET: &str = "00000000-0000-0000-0000-000000000002";

    #[test]
    fn created_and_updated_upsert_the_data() {
        for t in ["created", "updated"] {
            let e = event(&format!(
                r#"{{"id":"{ID}","type":"{t}","target":"class","target_id":"{TARGET}","data":{{"id":"{TARGET}","name":"x"}}}}"#
            ));
            let c = change_of(&e).unwrap().unwrap();
            assert!(
                matches!(&c, Change::Upsert(o) if o.kind() == ResourceKind::Classes && o.json().contains("\"x\""))
            );
        }
    }

    #[test]
    fn deleted_uses_target_id_then_data() {
        let e = event(&format!(
            r#"{{"id":"{ID}","type":"deleted","target":"person","target_id":"{TARGET}","data":null}}"#
        ));
        assert_eq!(
            change_of(&e).unwrap(),
            Some(Change::Delete {
                kind: ResourceKind::People,
                id: Uuid::try_parse(TARGET).unwrap()
            })
        );
        let e = event(&format!(
            r#"{{"id":"{ID}","type":"deleted","target":"person","data":{{"id":"{TARGET}"}}}}"#
        ));
        assert_eq!(
            change_of(&e).unwrap().map(|c| c.id()).unwrap().to_string(),
            TARGET
        );
    }

    #[test]
    fn what_cannot_be_applied_is_skipped() {
        for text in [
            format!(
                r#"{{"id":"{ID}","type":"created","target":"period","data":{{"id":"{TARGET}"}}}}"#
            ),
            format!(r#"{{"id":"{ID}","type":"created","data":{{"id":"{TARGET}"}}}}"#),
            format!(
                r#"{{"id":"{ID}","type":"person.created","target":"person","data":{{"id":"{TARGET}"}}}}"#
            ),
            format!(r#"{{"id":"{ID}","type":"updated","target":"person","data":{{}}}}"#),
            format!(r#"{{"id":"{ID}","type":"updated","target":"person"}}"#),
            format!(r#"{{"id":"{ID}","type":"deleted","target":"person"}}"#),
        ] {
            assert_eq!(change_of(&event(&text)).unwrap(), None, "{text}");
        }
    }

    #[test]
    fn data_with_a_malformed_key_is_an_error_naming_the_event() {
        let e = event(&format!(
            r#"{{"id":"{ID}","type":"updated","target":"enrollment","data":{{"id":"{TARGET}","class_id":7}}}}"#
        ));
        let err = change_of(&e).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("event {ID}'s data cannot be stored")
        );
        assert!(crate::progress::chain(&err).contains("class_id"));
    }
}
