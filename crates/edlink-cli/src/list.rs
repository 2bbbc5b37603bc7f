//! `list`: every page, streamed to the output as it arrives. One page loop
//! for every listing, v1 collections and Graph resources alike.

use std::io::{self, BufWriter};

use edlink_client::model::DEFAULT_PAGE_SIZE;
use edlink_client::{ListRequest, RawJson};
use futures_util::TryStreamExt;

use crate::args::ListArgs;
use crate::exit::Failure;
use crate::output::table::{Column, columns};
use crate::output::{Printer, table_width};
use crate::progress::Progress;
use crate::run::{Context, Kind, print_warnings};

/// Runs `list` on a v1 collection.
pub async fn run(context: &Context, kind: Kind, args: &ListArgs) -> Result<(), Failure> {
    let client = &context.client;
    let request = match kind {
        Kind::Integrations => client.integrations().list().raw_exact(),
        Kind::Providers => client.providers().list().raw_exact(),
        Kind::Permissions => client.permissions().list().raw_exact(),
    };
    print(context, paging(request, args), columns(kind), args).await
}

/// Writes a listing: pages are fetched one at a time (the next only once
/// the current one is written), so memory stays flat; with `--limit`, no
/// page is fetched once enough items came.
pub async fn print(
    context: &Context,
    request: ListRequest<RawJson>,
    columns: Vec<Column>,
    args: &ListArgs,
) -> Result<(), Failure> {
    let mut pages = request.pages();
    let cli = &context.cli;
    // Unlocked: the lock is taken for each write of the buffer, never held
    // across an await.
    let out = BufWriter::with_capacity(64 * 1024, io::stdout());
    let mut printer = Printer::new(
        out,
        cli.format,
        columns,
        context.output_redactor(),
        table_width(),
    );
    let mut progress = Progress::new(cli.quiet);
    let limit = args.limit.unwrap_or(u64::MAX);
    let (mut count, mut page_count) = (0u64, 0u64);

    while count < limit {
        let page = match pages.try_next().await {
            Ok(Some(page)) => page,
            Ok(None) => break,
            Err(err) => {
                progress.clear();
                print_warnings(context, err.warnings());
                return Err(err.into());
            }
        };
        page_count += 1;
        progress.clear();
        print_warnings(context, &page.warnings);
        let take = usize::try_from(limit - count).unwrap_or(usize::MAX);
        for item in page.items.iter().take(take) {
            if !args.count {
                printer.item(item)?;
            }
            count += 1;
        }
        if !args.count {
            printer.end_page()?;
        }
        progress.update(page_count, count, page.next.is_some() && count < limit);
    }
    drop(pages);
    progress.clear();
    if args.count {
        printer.count(count)?;
    } else {
        printer.finish_list()?;
    }
    Ok(())
}

/// The paging parameters of the arguments on `request`; with `--limit` and
/// no page size, pages no bigger than the limit.
pub fn paging(mut request: ListRequest<RawJson>, args: &ListArgs) -> ListRequest<RawJson> {
    match (args.first, args.last, args.limit) {
        (Some(n), _, _) => request = request.first(n),
        (None, Some(n), _) => request = request.last(n),
        (None, None, Some(limit)) => {
            request = request.first(limit.min(u64::from(DEFAULT_PAGE_SIZE)));
        }
        (None, None, None) => {}
    }
    if let Some(id) = args.after {
        request = request.after(id);
    }
    if let Some(id) = args.before {
        request = request.before(id);
    }
    if args.limit.is_some() {
        // A limit stops the listing early: a page fetched ahead would be
        // a request whose items nobody prints.
        request = request.prefetch(0);
    }
    request
}
