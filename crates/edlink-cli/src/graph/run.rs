//! `list`, `get` and nested listings for any Graph resource: the typed
//! request (filter, expansions, fields) is built here, then printed by the
//! page loop and printer every command shares.

use edlink_client::model::Record;
use edlink_client::model::filter::Filterable;
use edlink_client::{GetRequest, Graph, ListRequest};
use serde::de::DeserializeOwned;

use super::args::{GetArgs, GraphListArgs};
use super::auth;
use super::columns::{self, Columns};
use crate::exit::Failure;
use crate::run::{Context, print_one};

/// Lists the `R` objects `make` asks for. The filters are checked before
/// anything is sent (exit 2); errors of the Graph requests are marked as
/// such, so their hints speak of the access token.
pub async fn list<R, F>(context: &Context, args: &GraphListArgs, make: F) -> Result<(), Failure>
where
    R: Filterable + Columns + Record + DeserializeOwned + Send + 'static,
    F: FnOnce(&Graph) -> ListRequest<R>,
{
    let filter = args.filter::<R>()?;
    let graph = auth::graph(context).await?;
    let mut request = make(&graph).filter(filter).expand(&args.query.expand);
    if let Some(fields) = &args.query.fields {
        request = request.fields(fields);
    }
    let request = crate::list::paging(request.raw_exact(), &args.paging);
    let columns = columns::for_query::<R>(&args.query);
    crate::list::print(context, request, columns, &args.paging)
        .await
        .map_err(Failure::on_graph)
}

/// Fetches the `R` object `make` asks for.
pub async fn get<R, F>(context: &Context, args: &GetArgs, make: F) -> Result<(), Failure>
where
    R: Columns + DeserializeOwned + Send + 'static,
    F: FnOnce(&Graph) -> GetRequest<R>,
{
    let graph = auth::graph(context).await?;
    let mut request = make(&graph).expand(&args.query.expand);
    if let Some(fields) = &args.query.fields {
        request = request.fields(fields);
    }
    let columns = columns::for_query::<R>(&args.query);
    print_one(context, request.raw_exact().with_meta(), columns)
        .await
        .map_err(Failure::on_graph)
}
