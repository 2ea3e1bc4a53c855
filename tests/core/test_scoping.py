from dangjian.core.scoping import scope_for
from dangjian.org.models import Organisation, Person


def test_branch_secretary_sees_only_own_subtree(world):
    visible = set(Organisation.objects.visible_to(world.secretary_a).values_list("code", flat=True))
    assert visible == {"BA", "GRA"}
    people = set(Person.objects.visible_to(world.secretary_a).values_list("name", flat=True))
    assert "赵党员" in people and "钱党员" not in people


def test_general_branch_secretary_covers_branches_below(world):
    codes = set(
        Organisation.objects.visible_to(world.gb_secretary_a).values_list("code", flat=True)
    )
    assert codes == {"GA", "BA", "GRA"}


def test_member_sees_only_self(world):
    assert list(Person.objects.visible_to(world.member_user)) == [world.member_a]
    assert not Organisation.objects.visible_to(world.member_user).exists()
    assert not Person.objects.editable_by(world.member_user).exists()


def test_org_officer_and_admin_see_everything(world):
    total = Organisation.objects.count()
    assert Organisation.objects.visible_to(world.org_officer).count() == total
    assert Organisation.objects.visible_to(world.admin).count() == total


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Person.objects.visible_to(AnonymousUser()).exists()
    assert scope_for(AnonymousUser()).is_officer is False


def test_ended_position_gives_no_scope(world):
    from datetime import date

    world.secretary_a.person.positions.update(ends_on=date(2021, 1, 1))
    world.secretary_a.refresh_from_db()
    assert not Organisation.objects.visible_to(world.secretary_a).exists()
