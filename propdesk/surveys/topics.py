"""The issues raised by many (M16: 集中反映的问题): keywords of the households' written opinions.

Each opinion is cut into words with jieba, helped by a small dictionary of the trade's words
(电梯, 停车, 物业费, 垃圾清运 …) so they stay whole. Words that say nothing (stop words,
single characters, numbers) are dropped, and the ways of writing one issue are brought to one
word (车位, 停车位, 停车难 → 停车; 升降梯 → 电梯; 垃圾, 清运 → 垃圾清运), so an issue counts once
however it was put. A keyword's weight is the number of households that mention it (an opinion
is one household's), not how often it is repeated, with a few of their opinions as samples.

The work is bounded: at most ``MAX_OPINIONS`` opinions are read, ``BATCH`` at a time, on the
index ``response_with_opinion``; the result is cached per campaign (and office), keyed by the
number of opinions and the latest change, so a changed answer is seen.
"""

import logging
import re
import threading
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max

from .models import Response

MAX_OPINIONS = 20_000
BATCH = 2_000
TOP = 15
SAMPLES = 3
SAMPLE_CHARS = 160
CACHE_SECONDS = 6 * 3600

# The trade's words, kept whole by the segmenter.
DOMAIN_WORDS = (
    "电梯",
    "停车",
    "停车位",
    "停车场",
    "停车难",
    "车位",
    "物业费",
    "管理费",
    "垃圾清运",
    "垃圾桶",
    "楼道",
    "保洁",
    "保安",
    "门禁",
    "监控",
    "绿化",
    "路灯",
    "漏水",
    "渗水",
    "噪音",
    "维修",
    "报修",
    "服务态度",
    "充电桩",
    "快递",
    "宠物",
    "装修",
    "水压",
    "停水",
    "停电",
    "外墙",
    "防水",
    "消防通道",
)

# One issue, one word: how the same thing is written differently.
SYNONYMS = {
    "停车位": "停车",
    "停车场": "停车",
    "停车难": "停车",
    "车位": "停车",
    "乱停": "停车",
    "升降梯": "电梯",
    "电梯间": "电梯",
    "管理费": "物业费",
    "收费": "物业费",
    "费用": "物业费",
    "垃圾": "垃圾清运",
    "清运": "垃圾清运",
    "垃圾桶": "垃圾清运",
    "垃圾站": "垃圾清运",
    "卫生": "保洁",
    "清洁": "保洁",
    "打扫": "保洁",
    "保安": "安保",
    "门卫": "安保",
    "治安": "安保",
    "巡逻": "安保",
    "渗水": "漏水",
    "噪声": "噪音",
    "吵闹": "噪音",
    "报修": "维修",
    "修理": "维修",
    "态度": "服务态度",
    "草坪": "绿化",
    "树木": "绿化",
}

# Words that carry no issue: function words, politeness, and what every opinion says.
_STOP = """
    的 了 和 是 在 有 也 都 就 很 太 还 又 再 不 没 没有 一个 一些 一下 一直 这个 那个 这些 那些 这样
    我们 你们 他们 我 你 他 她 大家 自己 希望 建议 要求 觉得 感觉 认为 能够 可以 能 会 应该 需要 请
    问题 情况 方面 时候 现在 以后 目前 时间 经常 总是 老是 有时 非常 比较 特别 十分 越来越 还是 但是
    因为 所以 如果 而且 或者 以及 还有 其他 什么 怎么 为什么 多少 及时 尽快 马上 一点 好 不好 满意
    不满意 谢谢 感谢 辛苦 物业 小区 业主 住户 服务 管理 工作 加强 改进 提高 注意 处理 解决 及 对 把
    被 让 给 与 跟 从 到 为 以 等 等等 啊 吧 呢 吗 嗯 哦 呀 啦 没什么 无 暂无 没意见 无意见 好的
"""
STOP_WORDS = frozenset(_STOP.split())

WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$|^[A-Za-z]{3,}$")

_lock = threading.Lock()
_tokenizer = None


def tokenizer():
    """jieba's segmenter with the trade's words, built once per process (about a second)."""
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            segmenter = jieba.Tokenizer()
            for word in DOMAIN_WORDS:
                segmenter.add_word(word, freq=200_000)
            _tokenizer = segmenter
    return _tokenizer


def keywords(text: str) -> set[str]:
    """The issues one opinion raises, each once."""
    found = set()
    for word in tokenizer().lcut(text or ""):
        word = word.strip().lower()
        if not WORD.match(word) or word in STOP_WORDS:
            continue
        found.add(SYNONYMS.get(word, word))
    return found


@dataclass
class Topic:
    word: str
    households: int
    samples: list[str] = field(default_factory=list)


@dataclass
class Topics:
    """The top keywords of the opinions read; ``capped`` when there were more than
    ``MAX_OPINIONS`` to read."""

    read: int
    capped: bool
    topics: list[Topic]


def _scan(campaign_id: int, office_id: int | None) -> dict:
    """{office: [opinions read, {word: households}, {word: [samples]}]}, reading at most
    MAX_OPINIONS opinions in batches, in primary-key order (keyset, no OFFSET)."""
    rows = Response.objects.filter(campaign_id=campaign_id).exclude(opinion="")
    if office_id is not None:
        rows = rows.filter(office_id=office_id)
    by_office: dict = {}
    after, read = 0, 0
    while read < MAX_OPINIONS:
        batch = list(
            rows.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", "office_id", "opinion")[: min(BATCH, MAX_OPINIONS - read)]
        )
        if not batch:
            break
        for _pk, office, opinion in batch:
            entry = by_office.setdefault(office, [0, Counter(), {}])
            entry[0] += 1
            for word in keywords(opinion):
                entry[1][word] += 1
                samples = entry[2].setdefault(word, [])
                if len(samples) < SAMPLES:
                    samples.append(opinion[:SAMPLE_CHARS])
        read += len(batch)
        after = batch[-1][0]
    return by_office


def _stamp(campaign_id: int, office_id: int | None) -> tuple[int, str]:
    """How many opinions there are, and a stamp that changes with any of them."""
    rows = Response.objects.filter(campaign_id=campaign_id).exclude(opinion="")
    if office_id is not None:
        rows = rows.filter(office_id=office_id)
    seen = rows.aggregate(n=Count("pk"), submitted=Max("submitted_at"), changed=Max("changed_at"))
    moments = [m.timestamp() if m else 0 for m in (seen["submitted"], seen["changed"])]
    return seen["n"], f"{seen['n']}:{moments[0]}:{moments[1]}"


def campaign_topics(
    campaign, *, office_id: int | None = None, office_ids=None, top: int = TOP
) -> Topics:
    """The top keywords of a campaign's opinions: of one office (``office_id``), or of the
    offices in ``office_ids`` (the released ones), or of every office. Cached."""
    opinions, stamp = _stamp(campaign.pk, office_id)
    key = f"surveys:topics:v1:{campaign.pk}:{office_id or 'all'}:{stamp}"
    scanned = cache.get(key)
    if scanned is None:
        scanned = _scan(campaign.pk, office_id)
        cache.set(key, scanned, CACHE_SECONDS)
    capped = opinions > MAX_OPINIONS
    read, counts, samples = 0, Counter(), {}
    for office, (n, words, office_samples) in scanned.items():
        if office_ids is not None and office not in office_ids:
            continue
        read += n
        counts.update(words)
        for word, texts in office_samples.items():
            have = samples.setdefault(word, [])
            have.extend(texts[: SAMPLES - len(have)])
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    topics = [Topic(word, households, samples.get(word, [])) for word, households in ranked]
    return Topics(read=read, capped=capped, topics=topics)
