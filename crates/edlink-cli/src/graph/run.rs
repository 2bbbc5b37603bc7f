//! `list`, `get` and nested listings for any Graph resource: the typed
//! request (filter, expansions, fields) is built here, then printed by the
//! page loop and printer every command shares.

use edlink_client::model::Record;
use edlink_client::model::filter::Filterable;
use edlink_client::{GetRequest, Graph, ListRequest};
use serde::de::DeserializeOwned;

use super::args::{GetArgs, GraphListArgs, QueryArgs};
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
    print_list(context, args, make(&graph).filter(filter))
        .await
        .map_err(Failure::on_graph)
}

/// Prints a typed listing (Graph or User API) with the options of `args`
/// but the filter (checked and set by the caller, before any request):
/// expansions, fields, paging, and the resource's columns, on the shared
/// page loop.
pub async fn print_list<R>(
    context: &Context,
    args: &GraphListArgs,
    request: ListRequest<R>,
) -> Result<(), Failure>
where
    R: Columns + Record + DeserializeOwned + Send + 'static,
{
    let mut request = request.expand(&args.query.expand);
    if let Some(fields) = &args.query.fields {
        request = request.fields(fields);
    }
    let request = crate::list::paging(request.raw_exact(), &args.paging);
    let columns = columns::for_query::<R>(&args.query);
    crate::list::print(context, request, columns, &args.paging).await
}

/// Fetches the `R` object `make` asks for.
pub async fn get<R, F>(context: &Context, args: &GetArgs, make: F) -> Result<(), Failure>
where
    R: Columns + DeserializeOwned + Send + 'static,
    F: FnOnce(&Graph) -> GetRequest<R>,
{
    let graph = auth::graph(context).await?;
    print_get(context, &args.query, make(&graph))
        .await
        .map_err(Failure::on_graph)
}

/// Prints a typed fetch (Graph or User API) with `--expand` and `--fields`.
pub async fn print_get<R>(
    context: &Context,
    query: &QueryArgs,
    request: GetRequest<R>,
) -> Result<(), Failure>
where
    R: Columns + DeserializeOwned + Send + 'static,
{
    let mut request = request.expand(&query.expand);
    if let Some(fields) = &query.fields {
        request = request.fields(fields);
    }
    let columns = columns::for_query::<R>(query);
    print_one(context, request.raw_exact().with_meta(), columns).await
}
