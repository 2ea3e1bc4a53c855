"""The one upload policy for every file field.

- What may be uploaded: documents and pictures checked by their content (magic bytes, the zip
  structure of OOXML/ODF, the OLE header of legacy Office files), the extension agreeing with the
  content, no HTML/SVG/script markup anywhere in the file, a size cap per area and a quota of
  stored bytes per person (core.rules holds the pure rules). The form field `UploadField`, the
  serializer field `UploadSerializerField` and the model field `UploadFileField` all apply it;
  the model field applies it again when the file is written, so no caller can skip it.
- Where it is stored: `<area>/<yyyy>/<mm>/<uuid4><ext>`; the original name, size and uploader
  are kept in the row's `<field>_name`, `<field>_size`, `<field>_owner` fields.
- When it is removed: a file written inside a transaction that rolls back (UploadMiddleware
  removes it at the end of the request), a file replaced by another once the change commits,
  the file of a deleted row once the deletion commits.
- How it is served: only by core.views.media_file (scoped to the row), see `serve`.
"""

import contextlib
import contextvars
import os
import threading
import time
import uuid
import zipfile
from pathlib import Path

import filetype
from django import forms
from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, router, transaction
from django.db.models import Sum, signals
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from rest_framework import serializers

from dangjian.core import rules

HEAD_BYTES = 8192
SCAN_CHUNK = 1024 * 1024
ORIGINAL_NAME_LENGTH = 255

# Upload areas: the folder under MEDIA_ROOT and the kinds of file each accepts.
AREAS: dict[str, tuple[str, ...]] = {
    "duty": rules.DOCUMENT_KINDS,
    "evidence": rules.DOCUMENT_KINDS,
    "meetings": rules.DOCUMENT_KINDS,
    "development": rules.DOCUMENT_KINDS,
    "assessment": rules.DOCUMENT_KINDS,
    "notices": rules.DOCUMENT_KINDS,
    "column": rules.DOCUMENT_KINDS,
    "column_photos": tuple(sorted(rules.INLINE_IMAGE_KINDS)),
    "imports": ("xlsx",),
}


def max_bytes(area: str) -> int:
    if area == "imports":
        mb = settings.UPLOAD_IMPORT_MAX_MB
    else:
        mb = settings.UPLOAD_AREA_MAX_MB.get(area, settings.UPLOAD_MAX_MB)
    return mb * 1024 * 1024


def help_text(area: str) -> str:
    groups = "、".join(dict.fromkeys(rules.UPLOAD_TYPES[k][2] for k in AREAS[area]))
    return f"可上传{groups}文件，不超过{rules.megabytes(max_bytes(area))}MB。"


def accept(area: str) -> str:
    """The `accept` attribute of a file input: the allowed extensions."""
    return ",".join(ext for kind in AREAS[area] for ext in rules.UPLOAD_TYPES[kind][0])


# --- reading the content --------------------------------------------------------------------


def inspect(file, *, scan: bool = True) -> tuple[frozenset[str], bool]:
    """The kinds the content of an open binary file can be, and whether it holds markup
    (`scan`: read the whole file for it). Leaves the file at its start."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    zip_names = odf_mimetype = None
    if head.startswith(rules.ZIP_MAGIC):
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as archive:
                zip_names = archive.namelist()
                if "mimetype" in zip_names:
                    with archive.open("mimetype") as member:
                        odf_mimetype = member.read(100).decode("ascii", "replace").strip()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            zip_names = None
    image = filetype.image_match(head)
    kinds = rules.content_kinds(
        head,
        image_mime=image.mime if image else None,
        zip_names=zip_names,
        odf_mimetype=odf_mimetype,
    )
    active = False
    if scan:
        file.seek(0)
        overlap = max(len(m) for m in rules.ACTIVE_MARKERS) - 1
        tail = b""
        while chunk := file.read(SCAN_CHUNK):
            if rules.has_active_content(tail + chunk):
                active = True
                break
            tail = chunk[-overlap:]
    file.seek(0)
    return kinds, active


def used_bytes(user) -> int:
    """Bytes of the files this user uploaded that are still stored."""
    total = 0
    for model, field in upload_fields():
        total += (
            model._default_manager.filter(**{f"{field.name}_owner": user}).aggregate(
                s=Sum(f"{field.name}_size")
            )["s"]
            or 0
        )
    return total


def problem(file, area: str, *, user=None) -> str | None:
    """Why an uploaded file may not be stored in `area`, in Chinese; None when it may."""
    name = os.path.basename(getattr(file, "name", "") or "")
    size = file.size
    allowed, limit = AREAS[area], max_bytes(area)
    error = rules.upload_error(name, size, None, allowed=allowed, max_bytes=limit)
    if error:
        return error
    inspected = getattr(file, "_upload_inspected", None)
    if inspected is None:
        inspected = inspect(file)
        with contextlib.suppress(AttributeError):  # the model field checks the same file again
            file._upload_inspected = inspected
    kinds, active = inspected
    error = rules.upload_error(name, size, kinds, allowed=allowed, max_bytes=limit, active=active)
    if error is None and user is not None and area != "imports":
        error = rules.quota_error(used_bytes(user), size, settings.UPLOAD_QUOTA_MB * 1024 * 1024)
    return error


# --- the user of the current request (for the quota and the uploader) -----------------------

_request: contextvars.ContextVar = contextvars.ContextVar("upload_request", default=None)


def current_user():
    request = _request.get()
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None


# --- form and serializer fields -----------------------------------------------------------


class _CurrentFile:
    """The current file as an edit form shows it: its original name, linked."""

    def __init__(self, file):
        self.url = file.url
        self.name = getattr(file, "original_name", file.name)

    def __str__(self):
        return self.name


class UploadInput(forms.ClearableFileInput):
    """Shows the current file by its original name, not its random stored name."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value):
            context["widget"]["value"] = _CurrentFile(value)
        return context


class UploadField(forms.FileField):
    """A form's file input under the upload policy of `area`."""

    widget = UploadInput

    def __init__(self, *, area: str, **kwargs):
        self.area = area
        kwargs["help_text"] = kwargs.get("help_text") or help_text(area)
        kwargs.setdefault("max_length", ORIGINAL_NAME_LENGTH)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", accept(area))

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and not isinstance(value, FieldFile):  # a new upload
            error = problem(value, self.area, user=current_user())
            if error:
                raise forms.ValidationError(error, code="upload")
        return value


class UploadSerializerField(serializers.FileField):
    """An API file field under the upload policy of `area`; refusals are 400 field errors."""

    def __init__(self, *, area: str, **kwargs):
        self.area = area
        kwargs.setdefault("help_text", help_text(area))
        kwargs.setdefault("max_length", ORIGINAL_NAME_LENGTH)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        file = super().to_internal_value(data)
        error = problem(file, self.area, user=current_user())
        if error:
            raise serializers.ValidationError(error)
        return file


# --- the model field -------------------------------------------------------------------------


@deconstructible
class UploadTo:
    """`<area>/<yyyy>/<mm>/<uuid4><ext>`: nothing of the uploaded name but its extension."""

    def __init__(self, area: str):
        self.area = area

    def __call__(self, instance, filename: str) -> str:
        today = timezone.localdate()
        ext = rules.upload_extension(filename)
        return f"{self.area}/{today:%Y}/{today:%m}/{uuid.uuid4().hex}{ext}"

    def __eq__(self, other):
        return isinstance(other, UploadTo) and other.area == self.area


def short_name(name: str) -> str:
    """An original file name that fits its field, keeping the extension."""
    if len(name) <= ORIGINAL_NAME_LENGTH:
        return name
    ext = rules.upload_extension(name)[:20]
    return name[: ORIGINAL_NAME_LENGTH - len(ext)] + ext


class UploadedFieldFile(FieldFile):
    @property
    def original_name(self) -> str:
        """The name the file had when it was uploaded (for display and download)."""
        stored = getattr(self.instance, f"{self.field.name}_name", "")
        return stored or os.path.basename(self.name or "")

    def save(self, name, content, save=True):
        original = os.path.basename(str(name or getattr(content, "name", "") or ""))
        content.name = original  # the checks read the extension from it
        user = current_user()
        error = problem(content, self.field.area, user=user)
        if error:
            raise ValidationError({self.field.name: error})
        super().save(original, content, save=False)
        track_new(self.storage, self.name, using=router.db_for_write(type(self.instance)))
        setattr(self.instance, f"{self.field.name}_name", short_name(original))
        setattr(self.instance, f"{self.field.name}_size", content.size)
        setattr(self.instance, f"{self.field.name}_owner_id", user.pk if user else None)
        if save:
            self.instance.save()

    save.alters_data = True


class UploadFileField(models.FileField):
    """A FileField under the upload policy of `area`. The model declares after it the fields
    `<name>_name` (original name), `<name>_size` and `<name>_owner` (the uploader), see
    `companion_fields`."""

    attr_class = UploadedFieldFile

    def __init__(self, verbose_name=None, name=None, *, area: str, **kwargs):
        self.area = area
        kwargs["upload_to"] = UploadTo(area)
        super().__init__(verbose_name, name, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("upload_to", None)
        kwargs["area"] = self.area
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(
            **{
                "form_class": UploadField,
                "area": self.area,
                "max_length": ORIGINAL_NAME_LENGTH,
                **kwargs,
            }
        )

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.area not in AREAS:
            errors.append(checks.Error(f"未知的上传区域 {self.area!r}", obj=self, id="core.E101"))
        for suffix in ("_name", "_size", "_owner"):
            try:
                companion = self.model._meta.get_field(self.name + suffix)
            except FieldDoesNotExist:
                companion = None
            if companion is None or companion.creation_counter < self.creation_counter:
                errors.append(
                    checks.Error(
                        f"{self.name}{suffix} must be declared after {self.name}",
                        hint="Use core.uploads.companion_fields().",
                        obj=self,
                        id="core.E102",
                    )
                )
        return errors

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract:
            signals.post_init.connect(self._remember, sender=cls)
            signals.post_save.connect(self._saved, sender=cls)
            signals.post_delete.connect(self._deleted, sender=cls)

    def pre_save(self, model_instance, add):
        file = super().pre_save(model_instance, add)  # writes a new upload (UploadedFieldFile.save)
        if not file:
            setattr(model_instance, f"{self.name}_name", "")
            setattr(model_instance, f"{self.name}_size", 0)
            setattr(model_instance, f"{self.name}_owner_id", None)
        old = model_instance.__dict__.get("_upload_loaded", {}).get(self.attname)
        if old and old != file.name:
            model_instance.__dict__.setdefault("_upload_replaced", {})[self.attname] = old
        return file

    def _remember(self, instance, **kwargs):
        value = instance.__dict__.get(self.attname)
        if isinstance(value, str):
            instance.__dict__.setdefault("_upload_loaded", {})[self.attname] = value

    def _saved(self, instance, using, **kwargs):
        instance.__dict__.setdefault("_upload_loaded", {})[self.attname] = getattr(
            instance, self.attname
        ).name
        replaced = instance.__dict__.get("_upload_replaced", {}).pop(self.attname, None)
        if replaced:
            delete_after_commit(self.storage, replaced, using=using)

    def _deleted(self, instance, using, **kwargs):
        name = instance.__dict__.get(self.attname)
        name = getattr(name, "name", name)
        if name:
            delete_after_commit(self.storage, name, using=using)


def companion_fields(verbose_name: str) -> tuple[models.Field, models.Field, models.Field]:
    """The three fields an UploadFileField `x` needs after it: x_name, x_size, x_owner."""
    return (
        models.CharField(f"{verbose_name}原文件名", max_length=ORIGINAL_NAME_LENGTH, blank=True),
        models.PositiveBigIntegerField(f"{verbose_name}大小（字节）", default=0),
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            verbose_name=f"{verbose_name}上传人",
            null=True,
            blank=True,
            on_delete=models.SET_NULL,
            related_name="+",
        ),
    )


def upload_fields():
    """(model, field) of every UploadFileField."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, UploadFileField)
    ]


def file_fields():
    """(model, field) of every FileField (the importer's working files included)."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


def is_referenced(name: str) -> bool:
    return any(
        model._default_manager.filter(**{field.name: name}).exists()
        for model, field in file_fields()
    )


# --- removing files ------------------------------------------------------------------------


def delete_after_commit(storage, name: str, *, using=None) -> None:
    """Remove a file no row refers to any more, once the change that dropped it commits."""

    def delete():
        if not is_referenced(name):
            storage.delete(name)

    transaction.on_commit(delete, using=using)


_written = threading.local()


def _pending() -> list:
    if not hasattr(_written, "files"):
        _written.files = []
    return _written.files


def track_new(storage, name: str, *, using=None) -> None:
    """Remember a file written inside a transaction: if the transaction does not commit,
    `discard_rolled_back` removes it."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return
    committed = [False]

    def mark():
        committed[0] = True

    transaction.on_commit(mark, using=using)
    _pending().append((connection, storage, name, mark, committed))


def discard_rolled_back() -> int:
    """Remove the files written by transactions (or savepoints) that rolled back; returns how
    many. A file whose transaction is still open stays tracked."""
    keep, removed = [], 0
    for item in _pending():
        connection, storage, name, mark, committed = item
        if committed[0]:
            continue
        if any(func is mark for _sids, func, _robust in connection.run_on_commit):
            keep.append(item)  # its transaction is still open
            continue
        storage.delete(name)
        removed += 1
    _written.files = keep
    return removed


class UploadMiddleware:
    """Knows the user of the request (quota, uploader) and, after the response, removes the
    files of writes that rolled back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
            discard_rolled_back()


def orphans(*, older_than_seconds: float) -> list[tuple[str, int]]:
    """Files under MEDIA_ROOT that no row refers to and that are older than the given age (a
    newer one may belong to a write still in progress): (name, size), sorted by name."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    referenced: set[str] = set()
    for model, field in file_fields():
        rows = model._default_manager.exclude(**{field.name: ""})
        referenced.update(rows.values_list(field.name, flat=True).iterator())
    cutoff = time.time() - older_than_seconds
    found = []
    for path in root.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        name = path.relative_to(root).as_posix()
        stat = path.stat()
        if name not in referenced and stat.st_mtime < cutoff:
            found.append((name, stat.st_size))
    return sorted(found)


@checks.register(checks.Tags.security)
def check_media_not_public(app_configs=None, **kwargs):
    """Uploads are served by the scoped view only: MEDIA_ROOT must not overlap a folder that
    whitenoise (or nginx's /static/) serves to anyone."""
    media = Path(settings.MEDIA_ROOT).resolve()
    public = [settings.STATIC_ROOT, *getattr(settings, "STATICFILES_DIRS", [])]
    if getattr(settings, "WHITENOISE_ROOT", None):
        public.append(settings.WHITENOISE_ROOT)
    errors = []
    for folder in public:
        folder = Path(folder[1] if isinstance(folder, tuple) else folder).resolve()
        if media == folder or folder in media.parents or media in folder.parents:
            errors.append(
                checks.Error(
                    f"MEDIA_ROOT（{media}）与公开的静态文件目录（{folder}）重叠，上传的文件会被公开访问。",
                    hint="把 MEDIA_ROOT 设到静态文件目录之外（环境变量 MEDIA_ROOT、STATIC_ROOT）。",
                    id="core.E103",
                )
            )
    return errors


# --- serving ----------------------------------------------------------------------------------

FILE_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def served_kind(path) -> str | None:
    """The kind of a stored file by its content (the extension only chooses among the kinds the
    content can be)."""
    with open(path, "rb") as f:
        kinds, _active = inspect(f, scan=False)
    by_name = rules.upload_kind_of_extension(rules.upload_extension(str(path)))
    if by_name in kinds:
        return by_name
    return sorted(kinds)[0] if kinds else None


def serve(path, filename: str) -> FileResponse:
    """A stored file as a download (pictures inline), typed by its content, never cached, in a
    sandbox: it can never run as a page of this site."""
    kind = served_kind(path)
    content_type = rules.UPLOAD_TYPES[kind][1] if kind else "application/octet-stream"
    inline = kind in rules.INLINE_IMAGE_KINDS
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 (FileResponse closes it)
        content_type=content_type,
        as_attachment=not inline,
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = FILE_CSP
    return response


def protected_fields() -> list[tuple[type, str]]:
    """Every field under the upload policy, with its model: a file is served only to users
    who may see the row that holds it (core.views.media_file). Declaring an UploadFileField
    is the registration; nothing to list by hand."""
    from django.apps import apps

    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, UploadFileField)
    ]
