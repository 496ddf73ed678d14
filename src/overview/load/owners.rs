//! The owners chain (see the module above): `$expand=owners` pages of 100, then the full lists
//! of the apps that came with 20 owners through `$batch`es, with one retry after `Retry-After`.

use super::*;

/// Every app's owners, by object ID (lower-cased): names, in Graph's order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OwnerNames {
    by_app: HashMap<String, Vec<String>>,
    /// Apps whose list may be cut at 20 (the full list could not be read).
    incomplete: HashSet<String>,
}

impl OwnerNames {
    /// The owners of the app with this object ID; `None` when the app was not listed.
    pub fn of(&self, object_id: &str) -> Option<&[String]> {
        self.by_app
            .get(&object_id.to_ascii_lowercase())
            .map(Vec::as_slice)
    }

    /// Whether the app's list may be longer than what [`OwnerNames::of`] gives.
    pub fn is_incomplete(&self, object_id: &str) -> bool {
        self.incomplete.contains(&object_id.to_ascii_lowercase())
    }

    /// Apps listed.
    pub fn apps(&self) -> usize {
        self.by_app.len()
    }
}

/// Whether the owners are known.
#[derive(Clone, Debug, PartialEq)]
pub enum OwnersStatus {
    /// Not asked for yet (the page asks once the first table is drawn).
    NotLoaded,
    Loading,
    Loaded(Rc<OwnerNames>),
    /// The owners chain failed; the details line of the error.
    Unavailable {
        details: String,
    },
}

impl OwnersStatus {
    /// The names, once loaded.
    pub fn names(&self) -> Option<&OwnerNames> {
        match self {
            OwnersStatus::Loaded(names) => Some(names),
            _ => None,
        }
    }
}

/// Shown instead of the Owners column when the owners could not be loaded.
pub const OWNERS_UNAVAILABLE: &str =
    "Owners could not be loaded: the table and the exports leave them out.";

/// What to do after a response of the owners chain.
#[derive(Debug)]
pub enum OwnersNext {
    Send(HttpRequest),
    /// A request of the last batch was throttled (or failed on the server's side): wait this
    /// long (its `Retry-After`, else [`crate::retry::BACKOFF_BASE_MS`]; at most
    /// [`crate::retry::MAX_WAIT_SECS`]), then send.
    Wait(u64, HttpRequest),
    Done(OwnerNames),
    /// A page of the list failed: its details line.
    Failed(String),
}

/// A full-list read waiting for (or in) a batch.
#[derive(Clone, Debug)]
struct FullList {
    /// Lower-cased object ID.
    app: String,
    /// Relative URL: the first page, or a nextLink.
    url: String,
    /// The first page replaces the 20 names `$expand` gave; later pages add to it.
    first: bool,
    /// Sent before and failed (throttled or a server error): not retried again.
    retried: bool,
}

/// The state of one load of every app's owners.
#[derive(Debug, Default)]
pub struct OwnersLoader {
    graph_base: String,
    names: OwnerNames,
    queue: VecDeque<FullList>,
    /// The batch in flight; a request's `id` is its index here.
    in_flight: Vec<FullList>,
    requests: u32,
    /// Milliseconds to wait before the next batch (set by a throttled answer).
    wait_ms: u64,
}

impl OwnersLoader {
    /// A new load and its first request.
    pub fn start(graph_base: &str) -> (OwnersLoader, HttpRequest) {
        let loader = OwnersLoader {
            graph_base: graph_base.to_string(),
            requests: 1,
            ..OwnersLoader::default()
        };
        (loader, overview_owners(graph_base))
    }

    /// Requests sent so far (pages and batches).
    pub fn requests(&self) -> u32 {
        self.requests
    }

    /// Takes the response to `req` (answered at `now`) and says what comes next.
    pub fn feed(
        &mut self,
        req: &HttpRequest,
        res: &HttpResponse,
        now: DateTime<chrono::Utc>,
    ) -> OwnersNext {
        let next = if req.method == crate::net::Method::Post {
            self.feed_batch(res, now);
            None
        } else {
            match parse_app_owners_page(res) {
                Err(e) => return OwnersNext::Failed(e.details()),
                Ok(page) => {
                    for app in page.value {
                        let id = app.id.to_ascii_lowercase();
                        if app.owners.len() >= EXPAND_MAX_OWNERS {
                            self.queue.push_back(FullList {
                                app: id.clone(),
                                url: owners_url(&app.id),
                                first: true,
                                retried: false,
                            });
                        }
                        let names = app.owners.iter().map(owner_name).collect();
                        self.names.by_app.insert(id, names);
                    }
                    page.next_link.map(|link| next_page(&link, req))
                }
            }
        };
        match next.or_else(|| self.next_batch()) {
            Some(req) => {
                self.requests += 1;
                match std::mem::take(&mut self.wait_ms) {
                    0 => OwnersNext::Send(req),
                    ms => OwnersNext::Wait(ms, req),
                }
            }
            None => OwnersNext::Done(std::mem::take(&mut self.names)),
        }
    }

    /// Up to [`BATCH_MAX`] full-list reads from the queue.
    fn next_batch(&mut self) -> Option<HttpRequest> {
        let n = self.queue.len().min(BATCH_MAX);
        if n == 0 {
            return None;
        }
        self.in_flight = self.queue.drain(..n).collect();
        let steps: Vec<(String, String)> = (self.in_flight.iter().enumerate())
            .map(|(i, f)| (i.to_string(), f.url.clone()))
            .collect();
        Some(owners_batch(&self.graph_base, &steps))
    }

    fn feed_batch(&mut self, res: &HttpResponse, now: DateTime<chrono::Utc>) {
        let mut pending: Vec<Option<FullList>> = std::mem::take(&mut self.in_flight)
            .into_iter()
            .map(Some)
            .collect();
        // A batch refused as a whole leaves every read in it unanswered.
        for answer in parse_owners_batch(res).unwrap_or_default() {
            let Some(read) = answer
                .id
                .parse::<usize>()
                .ok()
                .and_then(|i| pending.get_mut(i)?.take())
            else {
                continue;
            };
            match answer.page {
                Some(page) => {
                    let names = page.value.iter().map(owner_name);
                    let list = self.names.by_app.entry(read.app.clone()).or_default();
                    if read.first {
                        *list = names.collect();
                    } else {
                        list.extend(names);
                    }
                    let more = page
                        .next_link
                        .and_then(|link| relative_url(&self.graph_base, &link));
                    match more {
                        Some(url) => self.queue.push_back(FullList {
                            url,
                            first: false,
                            ..read
                        }),
                        None => {
                            self.names.incomplete.remove(&read.app);
                        }
                    }
                }
                None if !read.retried && (answer.status == 429 || answer.status >= 500) => {
                    let secs = answer
                        .retry_after
                        .as_deref()
                        .and_then(|v| parse_retry_after(v, now));
                    let ms = secs.map_or(BACKOFF_BASE_MS, |s| s.min(MAX_WAIT_SECS) * 1000);
                    self.wait_ms = self.wait_ms.max(ms);
                    self.queue.push_back(FullList {
                        retried: true,
                        ..read
                    });
                }
                None => {
                    self.names.incomplete.insert(read.app);
                }
            }
        }
        for read in pending.into_iter().flatten() {
            self.names.incomplete.insert(read.app);
        }
    }
}
