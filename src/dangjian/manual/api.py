"""The manual over the API: the chapters a client may read, and one chapter rendered."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from dangjian.manual import render as renderer
from dangjian.manual import rules, selectors


class ChapterSummarySerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    public = serializers.BooleanField()
    mine = serializers.BooleanField(help_text="为当前用户角色编写的一章")
    url = serializers.CharField(help_text="在网页中打开")


class SectionSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    title = serializers.CharField()
    anchor = serializers.CharField()


class ChapterSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    html = serializers.CharField(help_text="正文（HTML，由 Markdown 渲染，不含原始 HTML）")
    markdown = serializers.CharField()
    sections = SectionSerializer(many=True)


def _summary(request: Request, chapter: rules.Chapter, mine: str) -> dict[str, Any]:
    return {
        "slug": chapter.slug,
        "title": chapter.title,
        "public": chapter.public,
        "mine": chapter.slug == mine,
        "url": reverse("manual:chapter", args=[chapter.slug], request=request),
    }


class ManualListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="使用手册的章节",
        description="当前用户可读的章节；mine 标出为其角色编写的一章。匿名访问只列公开章节。",
        responses=ChapterSummarySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        mine = selectors.role_chapter(request.user)
        return Response([_summary(request, c, mine) for c in selectors.chapters_for(request.user)])


class ManualChapterView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="使用手册的一章", responses=ChapterSerializer)
    def get(self, request: Request, slug: str) -> Response:
        chapter = rules.BY_SLUG.get(slug)
        if chapter is None:
            raise NotFound("没有这一章。")
        if not selectors.readable(request.user, chapter):
            raise NotAuthenticated("请先登录后阅读本章。")
        rendered = renderer.render(chapter)
        return Response(
            {
                "slug": chapter.slug,
                "title": chapter.title,
                "url": reverse("manual:chapter", args=[chapter.slug], request=request),
                "html": rendered.html,
                "markdown": renderer.source(chapter),
                "sections": [
                    {"level": s.level, "title": s.title, "anchor": s.anchor}
                    for s in rendered.sections
                ],
            }
        )
