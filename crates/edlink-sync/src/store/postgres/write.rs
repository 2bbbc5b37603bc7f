//! The Postgres store's writes: checkpoints, and pages of objects (upserts
//! and deletes, set-based, with their link tables).

use std::collections::BTreeMap;

use tokio_postgres::Transaction;
use tokio_postgres::types::ToSql;
use uuid::Uuid;

use super::db_err;
use crate::checkpoint::CheckpointColumns;
use crate::schema;
use crate::store::{Change, StoreError};
use crate::{Checkpoint, ResourceKind, StoredObject};

#[derive(Clone, Copy)]
pub(super) enum Stamp {
    None,
    Begin,
    Finish,
}

pub(super) async fn write_checkpoint(
    tx: &Transaction<'_>,
    integration: Uuid,
    cp: &Checkpoint,
    stamp: Stamp,
) -> Result<(), StoreError> {
    let (insert_times, update_times) = match stamp {
        Stamp::None => ("NULL, NULL", ""),
        Stamp::Begin => (
            "now(), NULL",
            "full_started_at = EXCLUDED.full_started_at, full_finished_at = NULL, ",
        ),
        Stamp::Finish => (
            "NULL, now()",
            "full_finished_at = EXCLUDED.full_finished_at, ",
        ),
    };
    let sql = format!(
        "INSERT INTO sync_checkpoints (integration_id, phase, resource, last_id, generation, event_id, full_started_at, full_finished_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, {insert_times}, now()) \
         ON CONFLICT (integration_id) DO UPDATE SET phase = EXCLUDED.phase, resource = EXCLUDED.resource, last_id = EXCLUDED.last_id, \
         generation = EXCLUDED.generation, event_id = EXCLUDED.event_id, {update_times}updated_at = EXCLUDED.updated_at"
    );
    let c = CheckpointColumns::from_checkpoint(cp);
    tx.execute(
        &sql,
        &[
            &integration,
            &c.phase,
            &c.resource,
            &c.last_id,
            &c.generation,
            &c.event_id,
        ],
    )
    .await
    .map(drop)
    .map_err(db_err("saving the checkpoint"))
}

/// Upserts objects of one kind (each id once) with set-based statements.
pub(super) async fn upsert_kind(
    tx: &Transaction<'_>,
    integration: Uuid,
    generation: i64,
    kind: ResourceKind,
    objects: &[&StoredObject],
) -> Result<(), tokio_postgres::Error> {
    if objects.is_empty() {
        return Ok(());
    }
    let t = kind.table();
    let spec = schema::table(kind);
    let ids: Vec<Uuid> = objects.iter().map(|o| o.id()).collect();
    let data: Vec<&str> = objects.iter().map(|o| o.json()).collect();
    let keys: Vec<Vec<Option<Uuid>>> = spec
        .columns
        .iter()
        .map(|c| objects.iter().map(|o| o.key(c)).collect())
        .collect();
    let names: String = spec.columns.iter().map(|c| format!(", {c}")).collect();
    let u_names: String = spec.columns.iter().map(|c| format!(", u.{c}")).collect();
    let arrays: String = (0..spec.columns.len())
        .map(|i| format!(", ${}::uuid[]", i + 4))
        .collect();
    let sets: String = spec
        .columns
        .iter()
        .map(|c| format!("{c} = EXCLUDED.{c}, "))
        .collect();
    let data_at = spec.columns.len() + 4;
    let sql = format!(
        "INSERT INTO {t} (integration_id, id{names}, generation, data) \
         SELECT $1, u.id{u_names}, $2, u.data::json FROM unnest($3::uuid[]{arrays}, ${data_at}::text[]) AS u(id{names}, data) \
         ON CONFLICT (integration_id, id) DO UPDATE SET {sets}generation = EXCLUDED.generation, data = EXCLUDED.data"
    );
    let mut params: Vec<&(dyn ToSql + Sync)> = vec![&integration, &generation, &ids];
    for k in &keys {
        params.push(k);
    }
    params.push(&data);
    tx.execute(&sql, &params).await?;
    for link in spec.links {
        let (mut owners, mut others) = (Vec::new(), Vec::new());
        for o in objects {
            for other in o.links(link.field) {
                owners.push(o.id());
                others.push(*other);
            }
        }
        tx.execute(
            &format!(
                "DELETE FROM {} WHERE integration_id = $1 AND {} = ANY($2::uuid[])",
                link.table, link.owner
            ),
            &[&integration, &ids],
        )
        .await?;
        tx.execute(
            &format!(
                "INSERT INTO {t} (integration_id, {o}, {x}, generation) \
                 SELECT $1, u.o, u.x, $2 FROM unnest($3::uuid[], $4::uuid[]) AS u(o, x) ON CONFLICT DO NOTHING",
                t = link.table,
                o = link.owner,
                x = link.other
            ),
            &[&integration, &generation, &owners, &others],
        )
        .await?;
    }
    Ok(())
}

pub(super) async fn delete_kind(
    tx: &Transaction<'_>,
    integration: Uuid,
    kind: ResourceKind,
    ids: &[Uuid],
) -> Result<(), tokio_postgres::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    tx.execute(
        &format!(
            "DELETE FROM {} WHERE integration_id = $1 AND id = ANY($2::uuid[])",
            kind.table()
        ),
        &[&integration, &ids],
    )
    .await?;
    for link in schema::table(kind).links {
        tx.execute(
            &format!(
                "DELETE FROM {} WHERE integration_id = $1 AND {} = ANY($2::uuid[])",
                link.table, link.owner
            ),
            &[&integration, &ids],
        )
        .await?;
    }
    Ok(())
}

/// Writes `changes` (each object once) grouped by kind.
pub(super) async fn write_changes(
    tx: &Transaction<'_>,
    integration: Uuid,
    generation: i64,
    changes: &[Change],
) -> Result<(), StoreError> {
    let mut upserts: BTreeMap<ResourceKind, Vec<&StoredObject>> = BTreeMap::new();
    let mut deletes: BTreeMap<ResourceKind, Vec<Uuid>> = BTreeMap::new();
    for c in changes {
        match c {
            Change::Upsert(o) => upserts.entry(o.kind()).or_default().push(o),
            Change::Delete { kind, id } => deletes.entry(*kind).or_default().push(*id),
        }
    }
    for (kind, ids) in deletes {
        delete_kind(tx, integration, kind, &ids)
            .await
            .map_err(|e| StoreError::database(format!("deleting {kind}"), e))?;
    }
    for (kind, objects) in upserts {
        upsert_kind(tx, integration, generation, kind, &objects)
            .await
            .map_err(|e| StoreError::database(format!("storing a page of {kind}"), e))?;
    }
    Ok(())
}
