//! One askama struct per page, rendered through one path that sets the headers every page
//! carries (type, caching, security).

use askama::Template;
use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use warta_core::i18n::Catalog;

use crate::{
    AppError, AppState,
    session::Viewer,
    views::{ArticleView, Card, Pager, section_href},
};

const CSS: &str = include_str!("../assets/site.css");
/// Styles only forms, accounts and the newsroom need; reader pages stay lighter without them.
const FORMS_CSS: &str = include_str!("../assets/forms.css");

/// A navigation entry.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub name: String,
    pub href: String,
    pub current: bool,
}

/// What every page shares: masthead, navigation, words, styles.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub site_name: String,
    pub lang: &'static str,
    pub og_locale: &'static str,
    pub t: &'static Catalog,
    pub nav: Vec<NavItem>,
    pub css: &'static str,
    /// Extra styles for form and newsroom pages (empty on reader pages).
    pub forms_css: &'static str,
    /// The script's content-addressed URL.
    pub script: &'static str,
    /// The signed-in visitor's name, for the account menu.
    pub viewer: Option<String>,
    /// Whether the account menu links to the newsroom.
    pub newsroom: bool,
    /// The token for the masthead's sign-out form.
    pub csrf: String,
    /// The live breaking-news alert: (text, link).
    pub breaking: Option<(String, Option<String>)>,
    /// The membership invitation's plan name; none for members or when nothing is for sale.
    pub offer: Option<String>,
    /// The banner ad under the masthead (never for members).
    pub ad_top: Option<crate::ads::AdView>,
}

impl Chrome {
    /// The same chrome with the styles of forms and the newsroom, and no ad: a form is work
    /// (signing in, writing, editing), and its strict page policy would stop a third-party
    /// ad's code anyway.
    pub fn with_forms(mut self) -> Chrome {
        self.forms_css = FORMS_CSS;
        self.without_ads()
    }

    /// The same chrome without an ad: for pages whose address carries a secret (a
    /// subscription's link), which an ad's frame would be told as its referrer otherwise.
    pub fn without_ads(mut self) -> Chrome {
        self.ad_top = None;
        self
    }

    /// `current` is the slug of the section the page belongs to, if any.
    pub fn new(state: &AppState, viewer: &Viewer, current: Option<&str>) -> Chrome {
        let language = state.site().language;
        Chrome {
            site_name: state.site().name.clone(),
            lang: language.tag(),
            og_locale: language.og_locale(),
            t: language.catalog(),
            nav: state
                .nav()
                .iter()
                .map(|s| NavItem {
                    name: s.name.clone(),
                    href: section_href(&s.slug),
                    current: current == Some(s.slug.as_str()),
                })
                .collect(),
            css: CSS,
            forms_css: "",
            script: crate::routes::assets::SCRIPT_PATH.as_str(),
            viewer: viewer.user.as_ref().map(|u| u.name.clone()),
            newsroom: viewer
                .user
                .as_ref()
                .is_some_and(|u| u.role.may(warta_core::account::Action::EnterNewsroom)),
            csrf: viewer.csrf().unwrap_or_default(),
            breaking: state.alert().map(|a| (a.text.clone(), a.url.clone())),
            offer: (!viewer.member).then(|| state.offer()).flatten(),
            ad_top: crate::ads::pick(state, viewer, warta_core::ads::Slot::Top, current),
        }
    }
}

/// The head's metadata.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub title: String,
    pub og_title: String,
    pub description: String,
    pub canonical: String,
    pub og_type: &'static str,
    pub robots: Option<&'static str>,
    pub published_time: Option<String>,
    pub modified_time: Option<String>,
    pub section: Option<String>,
    pub tags: Vec<String>,
    pub json_ld: Option<String>,
    /// Absolute URL of the picture social cards show.
    pub image: Option<String>,
    /// The page's own feed (a section's, a tag's, an author's), offered beside the site's.
    pub feed: Option<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    pub meta: Meta,
    pub lead: Option<Card>,
    pub latest: Vec<Card>,
    pub sections: Vec<SectionBlock>,
    pub popular: Popular,
    /// Running stories and series, most recently updated first.
    pub stories: Vec<crate::views::Link>,
}

/// "Terpopuler": the most read articles of the last day and week.
#[derive(Debug, Clone, Default)]
pub struct Popular {
    pub day: Vec<Card>,
    pub week: Vec<Card>,
}

impl Popular {
    pub fn is_empty(&self) -> bool {
        self.day.is_empty() && self.week.is_empty()
    }
}

/// A section's newest articles on the home page.
#[derive(Debug, Clone)]
pub struct SectionBlock {
    pub name: String,
    pub slug: String,
    pub href: String,
    pub cards: Vec<Card>,
}

#[derive(Template)]
#[template(path = "article.html")]
pub struct ArticlePage {
    pub chrome: Chrome,
    pub meta: Meta,
    pub a: ArticleView,
    pub c: crate::routes::comments::CommentsView,
    /// What happened to the reader's last comment action, if anything.
    pub comment_notice: Option<&'static str>,
    /// The ad beside the article.
    pub ad_side: Option<crate::ads::AdView>,
    /// Set when the reader sees only the lead of a members-only article: the plan to join.
    pub members_only_plan: Option<String>,
    /// Set when a signed-out reader has read this many free articles in 30 days.
    pub meter_limit: Option<usize>,
    /// The running story or series the article belongs to.
    pub story: Option<StoryLine>,
    /// "Video rekomendasi".
    pub videos: Vec<crate::routes::video::VideoCard>,
}

/// The story or series an article belongs to, as its page names it.
pub struct StoryLine {
    pub title: String,
    pub href: String,
    pub series: bool,
    /// "Hari Ke-175" for an instalment of a series.
    pub instalment: Option<String>,
    /// The previous and next instalments ("Hari Ke-174: headline").
    pub previous: Option<crate::views::Link>,
    pub next: Option<crate::views::Link>,
}

/// Section, tag and author pages.
#[derive(Template)]
#[template(path = "list.html")]
pub struct ListPage {
    pub chrome: Chrome,
    pub meta: Meta,
    pub kind: String,
    pub title: String,
    /// A section's line under its name.
    pub description: Option<String>,
    /// The section's most read (empty for tags and authors).
    pub popular: Popular,
    /// The ad between the list's cards.
    pub ad: Option<crate::ads::AdView>,
    pub items: Vec<Card>,
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPageView {
    pub chrome: Chrome,
    pub meta: Meta,
    pub status: u16,
    pub title: String,
    pub message: String,
}

/// A form field as the form template shows it.
#[derive(Debug, Clone, Default)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    /// `text`, `email`, `password` or `checkbox`.
    pub kind: &'static str,
    /// What the user typed (never shown for passwords).
    pub value: String,
    pub autocomplete: &'static str,
    pub hint: &'static str,
    pub error: Option<String>,
}

/// A form: sign-in, registration, password reset ...
#[derive(Debug, Clone, Default)]
pub struct Form {
    pub title: &'static str,
    pub intro: &'static str,
    pub action: String,
    pub csrf: String,
    pub hidden: Vec<(&'static str, String)>,
    pub fields: Vec<Field>,
    pub submit: &'static str,
    pub errors: Vec<String>,
    pub links: Vec<crate::views::Link>,
}

#[derive(Template)]
#[template(path = "form.html")]
pub struct FormPage {
    pub chrome: Chrome,
    pub meta: Meta,
    pub form: Form,
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub chrome: Chrome,
    pub meta: Meta,
    pub title: String,
    pub message: String,
    pub link: Option<crate::views::Link>,
}

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub chrome: Chrome,
    pub meta: Meta,
    /// Newsroom members manage API keys here.
    pub newsroom: bool,
    pub keys: Vec<KeyView>,
    pub csrf: String,
    pub name: String,
    pub email: String,
    pub role: &'static str,
    pub verified: bool,
}

/// An API key in the account page's list.
#[derive(Debug, Clone)]
pub struct KeyView {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub used: Option<String>,
}

/// Renders a personal or form page: never stored by the page cache or shared caches.
pub fn private(status: StatusCode, template: &impl Template) -> Result<Response, AppError> {
    Ok(html(status, render(template)?, "no-store"))
}

/// Metadata for pages search engines should not index (forms, accounts).
pub fn private_meta(state: &AppState, title: &str) -> Meta {
    Meta {
        title: format!("{title} - {}", state.site().name),
        og_title: title.to_owned(),
        og_type: "website",
        robots: Some("noindex"),
        image: None,
        ..Meta::default()
    }
}

/// Renders a page that anyone may cache until the data changes.
pub fn public(template: &impl Template) -> Result<Response, AppError> {
    // Browsers revalidate every time (a 304 from the page cache costs little), so a reader who
    // signs in, or a page that changed, never sees a stale copy.
    Ok(html(
        StatusCode::OK,
        render(template)?,
        "public, max-age=0, must-revalidate",
    ))
}

/// Room for a whole page: the demo site's article page is 19 KB, its home page 30 KB.
const PAGE_CAPACITY: usize = 32 * 1024;

/// The page's HTML, in a buffer that has room for it from the start. askama sizes its buffer
/// from the template's own text, not from what the data adds, so a 19 KB article page grew
/// its buffer twice, copying everything written so far each time.
fn render<T: Template>(template: &T) -> Result<String, askama::Error> {
    let mut page = String::with_capacity(T::SIZE_HINT.max(PAGE_CAPACITY));
    template.render_into(&mut page)?;
    Ok(page)
}

fn html(status: StatusCode, body: String, cache_control: &'static str) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(POLICY),
    );
    response
}

/// What a page may load: its own scripts, pictures from anywhere on https, its own frames (a
/// third-party ad's, see [`ad_frame`]) and YouTube's privacy-enhanced player.
const POLICY: &str = "default-src 'self'; img-src 'self' data: https:; \
    style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'self'; \
    frame-ancestors 'self'; frame-src 'self' https://www.youtube-nocookie.com";

/// The policy of a third-party ad's own document: ad tags run inline code and load scripts,
/// frames and pictures from any host. The policy's own `sandbox` (without `allow-same-origin`)
/// gives the document an opaque origin wherever it is opened, in the ad slot's frame or on its
/// own in a tab: it cannot read the site's pages or the reader's cookies, nor send requests
/// as the reader. Its clicks may open the advertiser's page as a normal one.
const THIRD_PARTY_POLICY: &str = "sandbox allow-scripts allow-popups \
    allow-popups-to-escape-sandbox; default-src 'self'; img-src * data:; \
    style-src 'self' 'unsafe-inline' *; script-src 'self' 'unsafe-inline' 'unsafe-eval' *; \
    connect-src *; font-src *; frame-src *; object-src 'none'; base-uri 'none'; \
    frame-ancestors 'self'";

/// A third-party ad snippet as a document of its own, for the sandboxed frame the ad slot
/// shows it in. Links open outside the frame.
pub fn ad_frame(snippet: &str) -> Response {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><base target=\"_blank\">\
         <style>body{{margin:0}}</style></head><body>{snippet}</body></html>"
    );
    let mut response = html(StatusCode::OK, body, "no-store");
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(THIRD_PARTY_POLICY),
    );
    response
}

/// The page for an error status. Rendering it cannot fail the request: a template error falls
/// back to plain text.
pub fn error_page(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    message: Option<&str>,
) -> Response {
    let t = state.site().language.catalog();
    let (title, default_message) = match status {
        StatusCode::NOT_FOUND => (t.not_found_title, t.not_found_body),
        StatusCode::BAD_REQUEST | StatusCode::TOO_MANY_REQUESTS => (t.bad_request_title, ""),
        StatusCode::METHOD_NOT_ALLOWED => (t.bad_request_title, t.method_not_allowed_body),
        StatusCode::FORBIDDEN => (t.forbidden_title, ""),
        _ => (t.error_title, t.error_body),
    };
    let page = ErrorPageView {
        chrome: Chrome::new(state, viewer, None),
        meta: Meta {
            title: format!("{title} - {}", state.site().name),
            og_title: title.to_owned(),
            description: default_message.to_owned(),
            // An error page is no page of its own: no canonical URL.
            canonical: String::new(),
            og_type: "website",
            robots: Some("noindex"),
            image: None,
            ..Meta::default()
        },
        status: status.as_u16(),
        title: title.to_owned(),
        message: message.unwrap_or(default_message).to_owned(),
    };
    match render(&page) {
        Ok(body) => html(status, body, "no-store"),
        Err(error) => {
            tracing::error!(%error, "error page failed to render");
            (status, title).into_response()
        }
    }
}
