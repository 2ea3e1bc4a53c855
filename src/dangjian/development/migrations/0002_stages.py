"""The ten steps of member development with their requirements and the documents kept at each
(《基层组织建设实施意见》§四(三)1). The organisation department may reword them; the order and the
checks are the seed's."""

from django.db import migrations

# (stage, name, requirement, documents)
STAGES = [
    (
        1,
        "自愿提出入党申请",
        "要求入党的人员年龄必须在18岁以上，自愿向党支部递交书面入党申请书。",
        "入党申请书",
    ),
    (
        2,
        "确定入党积极分子",
        "入党申请人经过推优程序并由党支部评议后，确定为入党积极分子，推荐参加党校学习。",
        "推优材料\n党支部评议意见\n入党积极分子登记表",
    ),
    (
        3,
        "确定培养考察对象",
        "通过党校考试且合格的入党积极分子，进行民主推荐和评议，拟定培养考察对象，"
        "名单报党总支审议后向全体师生进行公示。",
        "党校结业证书\n民主推荐材料\n培养考察对象公示材料",
    ),
    (
        4,
        "培养考察",
        "公示结束后无异议的，指定培养人，按规定程序和要求进行培养考察。",
        "培养考察登记表\n思想汇报",
    ),
    (
        5,
        "确定发展对象",
        "经过一年以上培养考察后，党支部通过民主推荐程序并经支委会集体讨论评议后，"
        "拟定发展对象名单，经党总支审议后予以公示，同时确定两名正式党员担任入党介绍人。",
        "支委会会议记录\n政审材料\n发展对象公示材料\n入党介绍人意见",
    ),
    (
        6,
        "支部大会讨论接收预备党员",
        "召开支部大会，有表决权的正式党员以投票方式表决。到会有表决权的正式党员须超过"
        "应到会的正式党员半数；赞成人数须超过应到会有表决权的正式党员的半数。",
        "入党志愿书\n支部大会会议记录\n表决票",
    ),
    (
        7,
        "党总支指派专人谈话",
        "支部大会表决通过后，党总支在审批前指派专人对《入党志愿书》和有关材料进行审核，"
        "并同申请人谈话。",
        "谈话记录",
    ),
    (
        8,
        "党总支委员会审批",
        "党总支召开委员会集体讨论、表决，同意其为预备党员的，审批意见填写在《入党志愿书》上，"
        "并注明预备期的起止时间。",
        "党总支委员会会议记录\n入党志愿书（审批意见）",
    ),
    (
        9,
        "预备期培养考察",
        "预备期为一年，从支部大会通过之日算起；每两个月向入党介绍人汇报一次，"
        "每季度向党支部书面汇报思想一次。",
        "思想汇报\n预备党员考察表",
    ),
    (
        10,
        "预备党员转正",
        "预备期满前一个月提出书面转正申请→征求党内外意见→支委会讨论评议→党总支审查→公示→"
        "支部大会讨论表决→党总支审批→党委组织部审核备案→公布。",
        "转正申请书\n党内外意见\n转正公示材料\n支部大会会议记录\n党总支审批意见",
    ),
]


def seed(apps, schema_editor):
    StageDefinition = apps.get_model("development", "StageDefinition")
    for stage, name, description, documents in STAGES:
        StageDefinition.objects.update_or_create(
            stage=stage,
            defaults={"name": name, "description": description, "documents": documents},
        )


def unseed(apps, schema_editor):
    apps.get_model("development", "StageDefinition").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("development", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
