"""The site's URLs: public pages, the editors' admin, and markdownx behind the staff login."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles import feeds
from articles.sitemaps import ArticleSitemap
from forum import media, views
from forum.images.fields import ImageUploadView, MarkdownPreviewView
from forum.page_cache import public_page
from forum.sitemaps import ForumSitemap, HomeSitemap, RoundtableSitemap
from participants.sitemaps import PersonSitemap

forum_patterns = [
    path("", views.home, name="home"),
    path("forums/<slug:slug>/", views.forum_detail, name="forum_detail"),
    path("forums/<slug:slug>/<int:number>/", views.roundtable_detail, name="roundtable_detail"),
    path("accessibility/", views.accessibility_policy, name="accessibility_policy"),
]

# RSS 2.0 and Atom 1.0 (articles/feeds.py): the whole site, and one forum by its slug.
feed_patterns = [
    path("rss/", feeds.rss_feed, name="site_rss"),
    path("atom/", feeds.atom_feed, name="site_atom"),
    path("<slug:slug>/rss/", feeds.rss_feed, name="forum_rss"),
    path("<slug:slug>/atom/", feeds.atom_feed, name="forum_atom"),
]

# markdownx's own URLconf answers anonymous users and its preview does not sanitise;
# here both endpoints are for logged-in staff, and the preview renders through
# articles.markdown.render_markdown (settings.MARKDOWNX_MARKDOWNIFY_FUNCTION). Uploads are
# checked and cleaned by forum.images.validation like every other image (forum.images.fields).
markdownx_patterns = [
    # Uploading stores a file: only staff who may edit parts (the only place that takes one).
    path(
        "upload/",
        staff_member_required(
            permission_required("articles.change_article", raise_exception=True)(ImageUploadView.as_view())
        ),
        name="markdownx_upload",
    ),
    # The preview shows what a turn will look like: the same permission as editing one.
    path(
        "markdownify/",
        staff_member_required(
            permission_required("articles.change_article", raise_exception=True)(MarkdownPreviewView.as_view())
        ),
        name="markdownx_markdownify",
    ),
]

sitemaps = {
    "home": HomeSitemap,
    "forums": ForumSitemap,
    "roundtables": RoundtableSitemap,
    "articles": ArticleSitemap,
    "people": PersonSitemap,
}

urlpatterns = [
    path("sitemap.xml", public_page(sitemap), {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("", include((forum_patterns, "forum"))),
    path("articles/", include("articles.urls")),
    path("feeds/", include((feed_patterns, "feeds"))),
    path("people/", include("participants.urls")),
    path("search/", include("articles.search.urls")),
    path("api/v1/", include("articles.api.urls")),
    path("admin/", admin.site.urls),
    path("_nested_admin/", include("nested_admin.urls")),
    path("markdownx/", include(markdownx_patterns)),
]

# Uploaded files: public once a public page uses them, staff-only before (forum/media.py).
urlpatterns += [
    path(settings.MEDIA_URL.strip("/") + "/<path:path>", media.serve_media, name="media"),
]

# Japanese error pages; a database outage answers 503 with Retry-After (forum/errors.py).
handler500 = "forum.errors.server_error"
handler403 = "forum.errors.permission_denied"
handler404 = "forum.errors.page_not_found"
