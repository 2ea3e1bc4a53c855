"""Data for scripts/prod_check.sh, run with `dangjian shell -c` in the production configuration.

A committee with two branches; each branch has a secretary with a password account (the one of
branch A is the officer the checks act as, the one of branch B the officer out of scope), and
branch A a member who is responsible for a task that the officer reports progress on with an
uploaded file. Prints the ids the checks need as one JSON line."""

import json
import os
from datetime import date

from django.db import transaction

from dangjian.core.models import User
from dangjian.org import services as org_services
from dangjian.org.models import Person, Position
from dangjian.targets import services as target_services
from dangjian.targets.models import Role

password = os.environ["PROD_CHECK_PASSWORD"]
year = date.today().year


def person(org, name):
    return Person.objects.create(
        primary_org=org,
        party_status="full",
        name=name,
        gender="M",
        category="staff",
        birth_date=date(1985, 5, 1),
    )


def officer(org, name, username):
    someone = person(org, name)
    Position.objects.create(
        person=someone, organisation=org, title="secretary", starts_on=date(year - 1, 1, 1)
    )
    user = User.objects.create_user(username=username, password=password)
    user.person = someone
    user.save(update_fields=["person"])
    return user


with transaction.atomic():
    committee = org_services.organisation_create(
        actor=None, parent=None, kind="committee", name="中共上线检查学院委员会", code="PC"
    )
    branches = []
    for code, name in (("PCA", "机关第一党支部"), ("PCB", "信息学院学生党支部")):
        general = org_services.organisation_create(
            actor=None,
            parent=committee,
            kind="general_branch",
            name=f"{name}所属党总支",
            code=f"{code}G",
        )
        branches.append(
            org_services.organisation_create(
                actor=None,
                parent=general,
                kind="branch",
                name=name,
                code=code,
                category="organ",
            )
        )
    branch_a, branch_b = branches
    secretary = officer(branch_a, "张书记", "prodcheck_officer")
    officer(branch_b, "李书记", "prodcheck_other")
    member = person(branch_a, "赵党员")
    item = target_services.workitem_create(
        actor=None, organisation=branch_a, title="年度工作计划", year=year, kind="annual_plan"
    )
    task = target_services.task_create(
        actor=None,
        work_item=item,
        responsible=member,
        title="发展学生党员",
        target="发展学生党员不少于10名",
        measures="加强入党积极分子培养",
        assignee_kind="person",
        assignee_person=member,
        deadline=date(year, 12, 31),
        role=Role.MEMBERS,
    )

print(json.dumps({"task": task.pk, "people_in_scope": 2, "member": member.pk}))
