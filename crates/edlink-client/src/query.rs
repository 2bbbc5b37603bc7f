//! `$filter`, `$expand` and `$fields`: the Graph API's query options, on
//! list and get requests, turned into query parameters in one place.

use edlink_model::ListParams;
use edlink_model::filter::{Filter, Filterable};
use serde::de::DeserializeOwned;

use crate::{GetRequest, ListRequest};

/// The query options of one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct QueryOptions {
    /// `$filter`, as minified JSON.
    filter: Option<String>,
    /// `$expand`, in order, each once.
    expand: Vec<String>,
    /// `$fields`, in order, each once (`None`: every field).
    fields: Option<Vec<String>>,
}

fn push_once(list: &mut Vec<String>, name: &str) {
    let name = name.trim();
    if !name.is_empty() && !list.iter().any(|n| n == name) {
        list.push(name.to_owned());
    }
}

impl QueryOptions {
    pub(crate) fn set_filter(&mut self, json: String) {
        self.filter = Some(json);
    }

    pub(crate) fn expand<I, S>(&mut self, names: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for name in names {
            push_once(&mut self.expand, name.as_ref());
        }
    }

    pub(crate) fn fields<I, S>(&mut self, names: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let fields = self.fields.get_or_insert_with(Vec::new);
        for name in names {
            push_once(fields, name.as_ref());
        }
    }

    /// The query parameters, in a fixed order: `$filter`, `$expand`,
    /// `$fields`. With `$fields`, `id` is always asked for (paging continues
    /// from the last item's id, and a typed item needs it), and so is every
    /// expansion (Edlink leaves out an expanded object its `$fields` does not
    /// name).
    pub(crate) fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(filter) = &self.filter {
            pairs.push(("$filter", filter.clone()));
        }
        if !self.expand.is_empty() {
            pairs.push(("$expand", self.expand.join(",")));
        }
        if let Some(fields) = &self.fields {
            let mut all = vec!["id".to_owned()];
            for name in fields.iter().chain(&self.expand) {
                push_once(&mut all, name);
            }
            pairs.push(("$fields", all.join(",")));
        }
        pairs
    }

    /// `params` with these options added.
    pub(crate) fn apply(&self, params: &ListParams) -> ListParams {
        self.pairs()
            .into_iter()
            .fold(params.clone(), |params, (name, value)| {
                params.param(name, value)
            })
    }
}

impl<R> ListRequest<R>
where
    R: Filterable + DeserializeOwned + Send + 'static,
{
    /// `$filter`: only the items that match (every condition: Edlink's
    /// filters are conjunctions). Build it from the resource's typed fields
    /// ([`edlink_model::filter`]); the filter rides on every request of the
    /// listing, and on the cursor of every `$next`. A second call replaces
    /// the first: combine with [`Filter::and`].
    ///
    /// ```
    /// use edlink_client::{AccessToken, Client, TestTransport};
    /// use edlink_model::filter::people;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), edlink_client::Error> {
    /// let t = TestTransport::new();
    /// t.push_json(200, r#"{"$data":[]}"#);
    /// let graph = Client::builder().transport(t.clone()).build()?.graph(AccessToken::new("token"));
    /// let people = graph.people().list()
    ///     .filter(people::first_name().starts_with("So"))
    ///     .collect_all().await?;
    /// assert!(people.is_empty());
    /// let sent = t.last_request().unwrap().uri.to_string();
    /// assert!(sent.ends_with("&$filter=%7B%22first_name%22%3A%5B%7B%22operator%22%3A%22starts%20with%22%2C%22value%22%3A%22So%22%7D%5D%7D"), "{sent}");
    /// # Ok(())
    /// # }
    /// ```
    pub fn filter(mut self, filter: Filter<R>) -> Self {
        if filter.is_empty() {
            self.options.filter = None;
        } else {
            self.options.set_filter(filter.to_json());
        }
        self
    }
}

impl<T> ListRequest<T> {
    /// `$expand`: adds the named related objects beside their ids (`schools`
    /// on people, `observer`/`target` on agents, …); they decode into the
    /// model's typed expansion fields. Unknown names draw Edlink's
    /// `INVALID_EXPANSION` warning.
    ///
    /// ```
    /// # let graph = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?.graph("token");
    /// let request = graph.people().list().expand(["schools"]);
    /// # let _ = request;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn expand<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.options.expand(names);
        self
    }

    /// `$fields`: only these fields of each item (plus `id`, which paging
    /// needs, and every expansion). The items come back partial: a field left
    /// out is *absent* in the typed model (`None`, and `is_null` is false),
    /// never a default.
    ///
    /// ```
    /// # let graph = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?.graph("token");
    /// let request = graph.people().list().fields(["first_name", "last_name"]);
    /// # let _ = request;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn fields<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.options.fields(names);
        self
    }
}

impl<T> GetRequest<T> {
    /// `$expand` on a fetch: see [`ListRequest::expand`].
    ///
    /// ```
    /// # let graph = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?.graph("token");
    /// let request = graph.agents().get(uuid::Uuid::nil()).expand(["observer", "target"]);
    /// # let _ = request;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn expand<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.options.expand(names);
        self
    }

    /// `$fields` on a fetch: see [`ListRequest::fields`].
    ///
    /// ```
    /// # let graph = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?.graph("token");
    /// let request = graph.people().get(uuid::Uuid::nil()).fields(["email"]);
    /// # let _ = request;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn fields<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.options.fields(names);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_always_carry_id_and_the_expansions() {
        let mut options = QueryOptions::default();
        assert!(options.pairs().is_empty());
        options.expand(["schools", " ", "schools", "district"]);
        assert_eq!(
            options.pairs(),
            [("$expand", "schools,district".to_owned())]
        );
        options.fields(["first_name", "id", "first_name"]);
        options.set_filter("{}".to_owned());
        assert_eq!(
            options.pairs(),
            [
                ("$filter", "{}".to_owned()),
                ("$expand", "schools,district".to_owned()),
                ("$fields", "id,first_name,schools,district".to_owned()),
            ]
        );
    }
}
