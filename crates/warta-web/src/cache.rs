//! The in-process page cache: rendered pages kept in memory, already compressed with gzip and
//! brotli, served until any process writes to the database (see `state::spawn_change_watcher`).
//!
//! Compressing once at fill time is what keeps compressed responses at memory speed; nginx
//! loses three quarters of its throughput when it gzips per request.

use std::{
    collections::HashMap,
    convert::Infallible,
    hash::{DefaultHasher, Hash, Hasher},
    io::Write,
    net::SocketAddr,
    sync::{
        Arc, RwLock,
        atomic::{AtomicUsize, Ordering},
    },
    task::{Context, Poll},
};

use axum::{
    body::{Body, Bytes, HttpBody},
    extract::{ConnectInfo, Request},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use futures_util::future::{BoxFuture, Either, Ready, ready};
use tower::Service;

use crate::AppState;

/// Largest response body the cache will hold; bigger ones are served uncached (see [`keep`]).
const MAX_ENTRY: usize = 512 * 1024;

/// One cached response in every encoding we serve, each with its headers complete, so that a
/// hit only copies a header map and a reference to the body.
#[derive(Debug)]
struct Entry {
    status: StatusCode,
    /// The page's hash, unquoted; each variant's ETag is made from it (see [`compress`]).
    hash: String,
    identity: Variant,
    gzip: Option<Variant>,
    brotli: Option<Variant>,
}

#[derive(Debug)]
struct Variant {
    headers: HeaderMap,
    body: Bytes,
}

impl Entry {
    fn size(&self) -> usize {
        let len = |v: &Option<Variant>| v.as_ref().map_or(0, |v| v.body.len());
        self.identity.body.len() + len(&self.gzip) + len(&self.brotli) + 1536
    }
}

/// A key's slot: empty while the first request for it renders the page, so concurrent misses
/// wait for that one render instead of each rendering and compressing the same page.
type Slot = Arc<tokio::sync::OnceCell<Arc<Entry>>>;

/// Pages by request path and query.
#[derive(Debug)]
pub struct PageCache {
    entries: RwLock<HashMap<String, Slot>>,
    bytes: AtomicUsize,
    capacity: usize,
}

impl PageCache {
    pub fn new(capacity: usize) -> Self {
        PageCache {
            entries: RwLock::new(HashMap::new()),
            bytes: AtomicUsize::new(0),
            capacity,
        }
    }

    /// Forgets every page. Renders in flight still answer their own requests.
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
            self.bytes.store(0, Ordering::Relaxed);
        }
    }

    /// How many pages are held (for tests and diagnostics).
    pub fn len(&self) -> usize {
        self.entries
            .read()
            .map(|e| e.values().filter(|slot| slot.initialized()).count())
            .unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `answer` applied to the page held for `key`, if it has been rendered. The entry is
    /// read in place under the read lock: cloning its `Arc` would add two atomic operations
    /// on a cache line every core shares to each hit.
    fn with<T>(&self, key: &str, answer: impl FnOnce(&Entry) -> T) -> Option<T> {
        let entries = self.entries.read().ok()?;
        entries.get(key)?.get().map(|entry| answer(entry))
    }

    /// The slot for `key`, created empty if there is none.
    fn slot(&self, key: &str) -> Slot {
        if let Some(slot) = self.entries.read().ok().and_then(|e| e.get(key).cloned()) {
            return slot;
        }
        match self.entries.write() {
            Ok(mut entries) => entries.entry(key.to_owned()).or_default().clone(),
            Err(_) => Slot::default(),
        }
    }

    /// Accounts for a filled slot; a full cache starts over (cheap, and the hot pages come
    /// back on the next hits).
    fn filled(&self, key: &str, slot: &Slot, size: usize) {
        let full = self.bytes.fetch_add(size, Ordering::Relaxed) + size > self.capacity;
        if let Some(mut entries) = self.entries.write().ok().filter(|_| full) {
            entries.clear();
            entries.insert(key.to_owned(), slot.clone());
            self.bytes.store(size, Ordering::Relaxed);
        }
    }

    /// Drops an empty slot whose response turned out not to be cacheable, so uncacheable
    /// URLs (404s, say) leave nothing behind.
    fn abandon(&self, key: &str, slot: &Slot) {
        let Ok(mut entries) = self.entries.write() else {
            return;
        };
        if entries
            .get(key)
            .is_some_and(|s| Arc::ptr_eq(s, slot) && !s.initialized())
        {
            entries.remove(key);
        }
    }
}

/// Which encoding the client accepts best among those we hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

fn negotiate(headers: &HeaderMap) -> Encoding {
    let Some(accept) = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return Encoding::Identity;
    };
    let mut gzip = false;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim();
        let refused = parts.any(|p| {
            let p = p.trim();
            p.strip_prefix("q=")
                .is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
        });
        if refused {
            continue;
        }
        if coding.eq_ignore_ascii_case("br") {
            return Encoding::Brotli;
        }
        if coding.eq_ignore_ascii_case("gzip") {
            gzip = true;
        }
    }
    if gzip {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// Serves cacheable GET requests from memory and fills the cache on a miss. A response is
/// cacheable when its handler marked it `Cache-Control: public`; requests of signed-in visitors
/// are never served from or stored in the cache (their pages carry their name).
/// Marks a request whose reader has used up the free articles of the metered paywall: the page
/// is rendered for them alone (lead and invitation), never from or into the shared cache.
#[derive(Debug, Clone, Copy)]
pub struct MeterExceeded(pub usize);

/// The metered paywall for a signed-out reader's article view: decides before the page is
/// served, and answers the cookie to set afterwards (only for a page that was found).
fn meter(state: &AppState, request: &mut Request) -> Option<HeaderValue> {
    let free = state.config.meter_free_articles;
    if free == 0 || request.method() != Method::GET {
        return None;
    }
    let headers = request.headers();
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    if crate::session::cookie(headers, crate::session::SESSION_COOKIE).is_some()
        || warta_core::readership::search_crawler(agent)
    {
        return None;
    }
    let slug = article_slug(request.uri().path())?.to_owned();
    let now = chrono::Utc::now();
    let mut meter = warta_core::meter::Meter::read(
        crate::session::cookie(headers, warta_core::meter::COOKIE),
        now,
    );
    match meter.visit(&slug, free) {
        warta_core::meter::Visit::Again => None,
        warta_core::meter::Visit::OverLimit => {
            request.extensions_mut().insert(MeterExceeded(free));
            None
        }
        warta_core::meter::Visit::Counted => HeaderValue::from_str(&format!(
            "{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}",
            warta_core::meter::COOKIE,
            meter.value(),
            meter.max_age(now),
            crate::session::secure(state)
        ))
        .ok(),
    }
}

/// The slug of an article path `/read/YYYY/MM/DD/slug`.
fn article_slug(path: &str) -> Option<&str> {
    let mut parts = path.strip_prefix("/read/")?.split('/');
    let (Some(_), Some(_), Some(_), Some(slug), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    Some(slug)
}

/// The page cache in front of the whole router. A hit is answered here, before routing, any
/// extractor or any layer runs: axum's `Router::layer` wraps each route after the route is
/// matched, so a cache installed that way would pay for routing and every layer's boxed
/// service on each hit. Misses, and requests the cache must not answer, go to the router.
#[derive(Clone)]
pub struct Cached<S> {
    state: AppState,
    inner: S,
    /// The client's address, handed to the router with each request the cache does not
    /// answer (rate limits go by it). Kept here, one per connection, rather than added to
    /// every request as axum's `ConnectInfo` layer does: that allocates a request's
    /// extensions on every hit, which never reads them.
    peer: Option<SocketAddr>,
}

impl<S: Clone> Cached<S> {
    pub fn new(state: AppState, inner: S) -> Self {
        Cached {
            state,
            inner,
            peer: None,
        }
    }

    /// This cache for one connection from `peer`.
    pub fn for_peer(&self, peer: SocketAddr) -> Self {
        Cached {
            peer: Some(peer),
            ..self.clone()
        }
    }
}

impl<S> Service<Request> for Cached<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<
        Ready<Result<Response, Infallible>>,
        BoxFuture<'static, Result<Response, Infallible>>,
    >;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        let meter_cookie = meter(&self.state, &mut request);
        let view = counts_as_view(&request);
        let kind = Kind::of(&self.state, &request);
        let head = request.method() == Method::HEAD;
        if kind == Kind::Shared {
            let headers = request.headers();
            let hit = self.state.cache.with(&cache_key(&request), |entry| {
                respond(entry, negotiate(headers), &Conditions::of(headers))
            });
            if let Some(response) = hit {
                let path = view.then(|| request.uri().path());
                let response = finish(&self.state, response, path, meter_cookie);
                return Either::Left(ready(Ok(bodiless_if(head, response))));
            }
            // The router answers HEAD without a body, which must not become the page GET
            // requests are served: a HEAD miss renders the page as a GET would.
            if head {
                *request.method_mut() = Method::GET;
                request.extensions_mut().insert(HeadRequest);
            }
        }
        if let Some(peer) = self.peer {
            let client = client(peer, request.headers(), &self.state.config.trusted_proxies);
            request.extensions_mut().insert(ConnectInfo(client));
        }
        // The clone is not necessarily ready; the instance `poll_ready` prepared is the one
        // that takes the request (tower's usual swap).
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let state = self.state.clone();
        Either::Right(Box::pin(async move {
            let path = view.then(|| request.uri().path().to_owned());
            let response = match kind {
                Kind::Shared => fill(&state, inner, request).await,
                Kind::Own { signed_in } => own(inner, request, signed_in).await,
            };
            let response = finish(&state, response, path.as_deref(), meter_cookie);
            Ok(bodiless_if(head && kind == Kind::Shared, response))
        }))
    }
}

/// Marks a HEAD request passed on as a GET (see [`Cached::call`]), so that what counts requests
/// (ad impressions and clicks) can leave it out.
#[derive(Debug, Clone, Copy)]
pub struct HeadRequest;

/// The response to a HEAD request for a page held or rendered for the cache: its headers and
/// length, no body.
fn bodiless_if(head: bool, response: Response) -> Response {
    if !head {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    if let Some(length) = body.size_hint().exact() {
        parts
            .headers
            .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    Response::from_parts(parts, Body::empty())
}

/// Whether a request may be answered from and stored into the shared cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Shared,
    /// Rendered for this request alone.
    Own {
        signed_in: bool,
    },
}

impl Kind {
    fn of(state: &AppState, request: &Request) -> Kind {
        let headers = request.headers();
        // A signed-in visitor's pages carry their name.
        let signed_in = crate::session::cookie(headers, crate::session::SESSION_COOKIE).is_some();
        // Event streams never end; they are not pages.
        let streaming = headers
            .get(header::ACCEPT)
            .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
        // Search crawlers get members-only articles in full.
        let crawler = warta_core::readership::search_crawler(
            headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok()),
        );
        let metered_out = request.extensions().get::<MeterExceeded>().is_some();
        let shared = !metered_out
            && state.config.page_cache
            && (request.method() == Method::GET || request.method() == Method::HEAD)
            && !signed_in
            && !streaming
            && !crawler;
        if shared {
            Kind::Shared
        } else {
            Kind::Own { signed_in }
        }
    }
}

/// Pages are cached by path and query (a proxy's absolute-form target is keyed the same way).
/// The page a request asks for: its path and query, without the tracking parameters that
/// links from social networks, ads and newsletters carry (a different `fbclid` on every
/// click), which change nothing on the page and would otherwise make every such visit a miss.
fn cache_key(request: &Request) -> std::borrow::Cow<'_, str> {
    let uri = request.uri();
    let whole = uri.path_and_query().map_or("/", |p| p.as_str());
    let Some(query) = uri.query() else {
        return whole.into();
    };
    if !query.split('&').any(is_tracking) {
        return whole.into();
    }
    let kept: Vec<&str> = query.split('&').filter(|p| !is_tracking(p)).collect();
    if kept.is_empty() {
        uri.path().to_owned().into()
    } else {
        format!("{}?{}", uri.path(), kept.join("&")).into()
    }
}

/// Whether a query's `name=value` pair is a click or campaign tracker.
fn is_tracking(pair: &str) -> bool {
    is_tracking_name(pair.split('=').next().unwrap_or_default())
}

/// Whether a query parameter's name is a click or campaign tracker's.
pub(crate) fn is_tracking_name(name: &str) -> bool {
    name.starts_with("utm_")
        || matches!(
            name,
            "fbclid"
                | "gclid"
                | "gbraid"
                | "wbraid"
                | "dclid"
                | "msclkid"
                | "yclid"
                | "twclid"
                | "ttclid"
                | "igshid"
                | "mc_cid"
                | "mc_eid"
                | "_ga"
                | "_gl"
        )
}

/// Whether this request is a reader's view of an article, counted once it is answered with
/// the page; here, where cache hits and misses both pass.
fn counts_as_view(request: &Request) -> bool {
    request.method() == Method::GET
        && request.uri().path().starts_with("/read/")
        && warta_core::readership::counts_as_reader(
            request
                .headers()
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok()),
        )
}

/// What every answered page gets: its view counted, the meter's cookie.
fn finish(
    state: &AppState,
    mut response: Response,
    viewed: Option<&str>,
    meter_cookie: Option<HeaderValue>,
) -> Response {
    if response.status() != StatusCode::OK {
        return response;
    }
    if let Some(path) = viewed {
        state.readership.viewed(path);
    }
    if let Some(cookie) = meter_cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// A page rendered for one request; a signed-in visitor's is marked so that no shared cache
/// downstream keeps it.
async fn own<S>(mut inner: S, request: Request, signed_in: bool) -> Response
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    let encoding = negotiate(request.headers());
    let Ok(mut response) = inner.call(request).await;
    if signed_in && is_public(response.headers()) {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        );
    }
    compressed(response, encoding).await
}

/// Largest body compressed on the fly; larger ones (none of Warta's pages) go as they are.
const MAX_ON_THE_FLY: usize = 1024 * 1024;

/// A response rendered for one request, compressed for it when it is text: a member's or a
/// signed-in reader's pages, search results, forms and error pages are as large as anyone's
/// and read on the same slow networks. Fast settings, as the work is done for each request
/// (the cache's entries are compressed once, harder). Streams (live updates) and media pass.
async fn compressed(response: Response, encoding: Encoding) -> Response {
    let coding = match encoding {
        Encoding::Identity => return response,
        Encoding::Brotli => "br",
        Encoding::Gzip => "gzip",
    };
    let headers = response.headers();
    let text = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            t.starts_with("text/html")
                || t.starts_with("application/json")
                || t.starts_with("application/xml")
                || t.starts_with("text/plain")
        });
    let small = response
        .body()
        .size_hint()
        .exact()
        .is_some_and(|n| (256..=MAX_ON_THE_FLY as u64).contains(&n));
    if !text || !small || headers.contains_key(header::CONTENT_ENCODING) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(identity) = axum::body::to_bytes(body, MAX_ON_THE_FLY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut out = Vec::with_capacity(identity.len() / 3);
    let done = match encoding {
        Encoding::Brotli => {
            let params = brotli::enc::BrotliEncoderParams {
                quality: 4,
                lgwin: 20,
                ..Default::default()
            };
            brotli::BrotliCompress(&mut identity.as_ref(), &mut out, &params).is_ok()
        }
        _ => {
            let mut gz = flate2::write::GzEncoder::new(out, flate2::Compression::new(5));
            let done = gz.write_all(&identity).is_ok();
            match gz.finish() {
                Ok(written) => {
                    out = written;
                    done
                }
                Err(_) => return Response::from_parts(parts, Body::from(identity)),
            }
        }
    };
    if !done || out.is_empty() {
        return Response::from_parts(parts, Body::from(identity));
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    parts
        .headers
        .append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    Response::from_parts(parts, Body::from(out))
}

/// A miss: the first request for a page renders it while concurrent ones wait for that
/// render; a response the handler did not mark public is passed through and not kept.
async fn fill<S>(state: &AppState, mut inner: S, request: Request) -> Response
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    let key = cache_key(&request).into_owned();
    let encoding = negotiate(request.headers());
    let conditions = Conditions::of(request.headers());
    let slot = state.cache.slot(&key);
    if let Some(entry) = slot.get() {
        return respond(entry, encoding, &conditions);
    }
    let fill = slot.get_or_try_init(|| async {
        let Ok(response) = inner.call(request).await;
        if !is_public(response.headers()) || response.headers().contains_key(header::SET_COOKIE) {
            return Err(response);
        }
        let (parts, body) = response.into_parts();
        // The whole body is read even when it is too large to keep: it is sent either way.
        let identity = match axum::body::to_bytes(body, usize::MAX).await {
            Ok(identity) => identity,
            Err(error) => {
                tracing::error!(%key, %error, "rendering the response body failed");
                return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
            }
        };
        let entry = keep(parts, identity).map_err(|whole| *whole)?;
        state.cache.filled(&key, &slot, entry.size());
        Ok(Arc::new(entry))
    });
    match fill.await {
        Ok(entry) => respond(entry, encoding, &conditions),
        Err(response) => {
            state.cache.abandon(&key, &slot);
            compressed(response, encoding).await
        }
    }
}

/// A rendered page as the cache keeps it; one too large to keep (a full sitemap file, say) is
/// given back as it came, to be served uncached.
fn keep(parts: axum::http::response::Parts, identity: Bytes) -> Result<Entry, Box<Response>> {
    if identity.len() > MAX_ENTRY {
        return Err(Box::new(Response::from_parts(parts, Body::from(identity))));
    }
    // Kept in a buffer of its own size: the rendered page still sits in its render buffer
    // (32 KB or more, see `pages::render`), and the cache's budget counts lengths.
    let identity = Bytes::copy_from_slice(&identity);
    Ok(compress(parts.status, parts.headers, identity))
}

/// Whether a handler marked the response cacheable by anyone.
fn is_public(headers: &HeaderMap) -> bool {
    headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("public"))
}

fn compress(status: StatusCode, mut headers: HeaderMap, identity: Bytes) -> Entry {
    let mut hasher = DefaultHasher::new();
    identity.hash(&mut hasher);
    let hash = format!("{:016x}", hasher.finish());
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    headers.insert(header::ETAG, etag(&hash, ""));
    headers.remove(header::CONTENT_LENGTH);
    headers.remove("x-request-id");

    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let gzip = gz.write_all(&identity).and_then(|_| gz.finish()).ok();
    let mut brotli = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 9,
        lgwin: 22,
        ..Default::default()
    };
    let brotli = brotli::BrotliCompress(&mut identity.as_ref(), &mut brotli, &params)
        .ok()
        .map(|_| brotli);
    let variant = |body: Option<Vec<u8>>, coding: &'static str| {
        let body = body.filter(|b| !b.is_empty())?;
        let mut headers = headers.clone();
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        headers.insert(header::ETAG, etag(&hash, coding));
        Some(Variant {
            headers,
            body: Bytes::from(body),
        })
    };
    Entry {
        status,
        gzip: variant(gzip, "gzip"),
        brotli: variant(brotli, "br"),
        hash,
        identity: Variant {
            headers,
            body: identity,
        },
    }
}

/// The reader's address: the connection's, or, when that is a trusted proxy, the last address
/// in `X-Forwarded-For` that is not one of the trusted proxies (each proxy appends the address
/// it got the request from; what a client writes itself stands before those, so it counts
/// for nothing).
fn client(peer: SocketAddr, headers: &HeaderMap, trusted: &[std::net::IpAddr]) -> SocketAddr {
    if !trusted.contains(&peer.ip()) {
        return peer;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<std::net::IpAddr>().ok())
        .rev()
        .find(|ip| !trusted.contains(ip))
        .map_or(peer, |ip| SocketAddr::new(ip, 0))
}

/// The ETag of one encoding of a page: a strong validator names one representation, so the
/// compressed ones say which they are (as Apache's mod_deflate does); any of them still
/// matches the page when a client asks again (see [`Conditions::fresh`]).
fn etag(hash: &str, coding: &str) -> HeaderValue {
    let tag = if coding.is_empty() {
        format!("\"{hash}\"")
    } else {
        format!("\"{hash}-{coding}\"")
    };
    HeaderValue::from_str(&tag).unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
}

/// A request's conditional headers.
struct Conditions {
    if_none_match: Option<HeaderValue>,
    if_modified_since: Option<HeaderValue>,
}

impl Conditions {
    fn of(headers: &HeaderMap) -> Self {
        Conditions {
            if_none_match: headers.get(header::IF_NONE_MATCH).cloned(),
            if_modified_since: headers.get(header::IF_MODIFIED_SINCE).cloned(),
        }
    }

    /// Whether the client's copy is current: its ETag matches, or (without an ETag to compare,
    /// as RFC 9110 says) the page carries a Last-Modified no later than the client's date.
    fn fresh(&self, entry: &Entry) -> bool {
        if let Some(tags) = &self.if_none_match {
            return tags.to_str().is_ok_and(|v| {
                // "*": any current representation will do (RFC 9110 13.1.2).
                v.trim() == "*"
                    || v.split(',').any(|tag| {
                        let tag = tag.trim().trim_start_matches("W/").trim_matches('"');
                        let hash = tag
                            .strip_suffix("-gzip")
                            .or_else(|| tag.strip_suffix("-br"))
                            .unwrap_or(tag);
                        hash == entry.hash
                    })
            });
        }
        let date = |value: Option<&HeaderValue>| {
            value
                .and_then(|v| v.to_str().ok())
                .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok())
        };
        match (
            date(self.if_modified_since.as_ref()),
            date(entry.identity.headers.get(header::LAST_MODIFIED)),
        ) {
            (Some(since), Some(modified)) => modified <= since,
            _ => false,
        }
    }
}

fn respond(entry: &Entry, encoding: Encoding, conditions: &Conditions) -> Response {
    let variant = match encoding {
        Encoding::Brotli => entry.brotli.as_ref().or(entry.gzip.as_ref()),
        Encoding::Gzip => entry.gzip.as_ref(),
        Encoding::Identity => None,
    }
    .unwrap_or(&entry.identity);
    if conditions.fresh(entry) && entry.status == StatusCode::OK {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        // What a 200 would have said: the ETag of the encoding it would have sent, and about
        // caching it (RFC 9110 15.4.5).
        for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
            if let Some(value) = variant.headers.get(&name) {
                response.headers_mut().insert(name, value.clone());
            }
        }
        return response;
    }
    let mut response = Response::new(Body::from(variant.body.clone()));
    *response.status_mut() = entry.status;
    *response.headers_mut() = variant.headers.clone();
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        headers
    }

    #[test]
    fn the_client_is_named_by_trusted_proxies_only() {
        let proxy: SocketAddr = "10.0.0.2:40000".parse().unwrap();
        let trusted = ["10.0.0.2".parse().unwrap(), "10.0.0.3".parse().unwrap()];
        let forwarded = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert("x-forwarded-for", HeaderValue::from_str(value).unwrap());
            headers
        };
        let ip = |peer, headers: &HeaderMap, trusted: &[std::net::IpAddr]| {
            client(peer, headers, trusted).ip().to_string()
        };
        // A client's own header, straight to Warta, is ignored.
        let direct: SocketAddr = "203.0.113.9:5000".parse().unwrap();
        assert_eq!(ip(direct, &forwarded("1.2.3.4"), &trusted), "203.0.113.9");
        // Through the proxy: the address it saw, not what the client claimed before it.
        assert_eq!(
            ip(proxy, &forwarded("1.2.3.4, 198.51.100.7"), &trusted),
            "198.51.100.7"
        );
        // Two proxies in a row.
        assert_eq!(
            ip(proxy, &forwarded("198.51.100.7, 10.0.0.3"), &trusted),
            "198.51.100.7"
        );
        // Without the header, or with nothing usable in it: the proxy itself.
        assert_eq!(ip(proxy, &HeaderMap::new(), &trusted), "10.0.0.2");
        assert_eq!(ip(proxy, &forwarded("unknown"), &trusted), "10.0.0.2");
        // Not trusted: the header counts for nothing.
        assert_eq!(ip(proxy, &forwarded("198.51.100.7"), &[]), "10.0.0.2");
    }

    #[test]
    fn tracking_parameters_do_not_make_a_page_of_their_own() {
        let key = |uri: &str| {
            let request = Request::builder().uri(uri).body(Body::empty()).unwrap();
            cache_key(&request).into_owned()
        };
        assert_eq!(key("/read/x?fbclid=IwAR0abc"), "/read/x");
        assert_eq!(
            key("/kanal/sains?utm_source=fb&page=2&utm_medium=social"),
            "/kanal/sains?page=2"
        );
        assert_eq!(key("/kanal/sains?page=2"), "/kanal/sains?page=2");
        assert_eq!(key("/?utmost=1"), "/?utmost=1");
    }

    #[test]
    fn negotiates_the_best_encoding_we_hold() {
        assert_eq!(negotiate(&HeaderMap::new()), Encoding::Identity);
        assert_eq!(negotiate(&accept("gzip, deflate, br")), Encoding::Brotli);
        assert_eq!(negotiate(&accept("gzip, br;q=0")), Encoding::Gzip);
        assert_eq!(negotiate(&accept("deflate")), Encoding::Identity);
    }

    #[test]
    fn a_full_cache_starts_over() {
        let cache = PageCache::new(3_000);
        let body = Bytes::from(vec![b'a'; 1_000]);
        for key in ["/a", "/b"] {
            let slot = cache.slot(key);
            let entry = compress(StatusCode::OK, HeaderMap::new(), body.clone());
            let size = entry.size();
            slot.set(Arc::new(entry)).unwrap();
            cache.filled(key, &slot, size);
        }
        assert_eq!(
            cache.len(),
            1,
            "the second entry did not fit beside the first"
        );
        assert!(cache.slot("/b").initialized());
    }

    #[test]
    fn a_page_too_large_to_keep_is_served_whole() {
        let (parts, _) = Response::new(Body::empty()).into_parts();
        let big = Bytes::from(vec![b'a'; MAX_ENTRY + 1]);
        let Err(response) = keep(parts, big) else {
            panic!("a page over the limit was kept");
        };
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.body().size_hint().exact(),
            Some(MAX_ENTRY as u64 + 1)
        );
        let (parts, _) = Response::new(Body::empty()).into_parts();
        assert!(keep(parts, Bytes::from_static(b"<p>kecil</p>")).is_ok());
    }

    #[test]
    fn uncacheable_slots_leave_nothing_behind() {
        let cache = PageCache::new(3_000);
        let slot = cache.slot("/missing");
        cache.abandon("/missing", &slot);
        assert!(cache.entries.read().unwrap().is_empty());
    }

    #[test]
    fn compressed_bodies_decompress_to_the_page() {
        let body = Bytes::from("<p>Halo dunia</p>".repeat(100));
        let entry = compress(StatusCode::OK, HeaderMap::new(), body.clone());
        let mut out = Vec::new();
        let brotli = entry.brotli.unwrap().body;
        brotli::BrotliDecompress(&mut brotli.as_ref(), &mut out).unwrap();
        assert_eq!(out, body.as_ref());
        let gzip = entry.gzip.unwrap().body;
        let mut gz = flate2::read::GzDecoder::new(gzip.as_ref());
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut gz, &mut out).unwrap();
        assert_eq!(out, body.as_ref());
        assert!(brotli.len() < body.len() / 10);
    }

    #[test]
    fn a_current_copy_gets_a_304_with_what_a_200_says_about_caching() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public"));
        let entry = compress(StatusCode::OK, headers, Bytes::from("<p>Halo</p>"));
        let asking = |value: &str, encoding: Encoding| {
            let mut request = HeaderMap::new();
            request.insert(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
            respond(&entry, encoding, &Conditions::of(&request))
        };
        let plain = entry.identity.headers[header::ETAG].to_str().unwrap();
        for value in [plain, "*", &format!("\"x\", W/{plain}")] {
            let response = asking(value, Encoding::Identity);
            assert_eq!(response.status(), StatusCode::NOT_MODIFIED, "{value}");
            assert_eq!(response.headers()[header::ETAG], plain);
            assert_eq!(response.headers()[header::VARY], "Accept-Encoding");
            assert_eq!(response.headers()[header::CACHE_CONTROL], "public");
        }
        assert_eq!(
            asking("\"other\"", Encoding::Identity).status(),
            StatusCode::OK
        );
        // Each encoding names itself, and any of them stands for the same page.
        let gzip = entry.gzip.as_ref().unwrap().headers[header::ETAG]
            .to_str()
            .unwrap();
        let brotli = entry.brotli.as_ref().unwrap().headers[header::ETAG]
            .to_str()
            .unwrap();
        assert_ne!(gzip, plain);
        assert_ne!(brotli, gzip);
        let response = asking(gzip, Encoding::Brotli);
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(response.headers()[header::ETAG], brotli);
    }
}
