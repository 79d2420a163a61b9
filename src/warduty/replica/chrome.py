"""The court site around the case module: header, menus, side columns, footer.

Cut from the layout every saved real page shares (``themes/mobile``: ``div.header`` with the arms,
the court's name and address, three horizontal menus, ``div.page.page_decor`` with the left, right and
content columns, the module box ``div.box.box_common`` and ``div.footer``). The court's own notices and
banners are replaced by one invented notice and the platform's generic links; scripts, styles and the
visitor counter are left out. The module (``div#modSdpContent``) is filled in by the page modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html import escape

from warduty.courts import Court

BOX_HEAD = "СУДЕБНОЕ ДЕЛОПРОИЗВОДСТВО"

# (module name, label, title) of the site's sections, as every court site lists them.
_SECTIONS = (
    ("info_court", "О СУДЕ", "Информация о составе суда, территориальной подсудности, режиме работы."),
    ("sud_community", "СУДЕЙСКОЕ СООБЩЕСТВО", "Судейское сообщество"),
    ("docum_sud", "ДОКУМЕНТЫ СУДА", "Документы суда"),
    ("sud_delo", "СУДЕБНОЕ ДЕЛОПРОИЗВОДСТВО", "Информация о назначении и движении дел в суде"),
    ("information", "СПРАВОЧНАЯ ИНФОРМАЦИЯ", "Дополнительная информация"),
    ("press_dep", "ПРЕСС-СЛУЖБА", "Информация пресс-службы суда"),
    ("vacance", "ВАКАНСИИ", "Информация о вакантных местах в суде"),
    ("anticorruption", "ПРОТИВОДЕЙСТВИЕ КОРРУПЦИИ", ""),
    ("gbook", "ОБРАЩЕНИЯ ГРАЖДАН", "Сервис подачи официального обращения"),
    ("gbook_procedural", "ВНЕПРОЦЕССУАЛЬНЫЕ ОБРАЩЕНИЯ", "Сервис подачи внепроцессуального обращения"),
)
_LINKS: tuple[str, ...] = ("http://www.kremlin.ru/", "https://www.ksrf.ru/", "https://vsrf.ru/")
_LINKS += ("https://www.ssrf.ru/", "https://cdep.ru/", "https://www.gov.ru/")
_ICON = "".join(f'<span class="icon__i icon__i{n}"></span>' for n in range(1, 5))
EJ_LABEL = "Подача процессуальных документов в электронном виде"


def _e(value: str) -> str:
    return escape(value, quote=True)


def _icon(kind: str) -> str:
    return f'<span class="icon icon_bullet-{kind}">{_ICON}</span>'


def _iconed(href: str, icon: str, label: str, *, extra: str = "") -> str:
    return (
        f'<div class="menu__item menu__item_brown menu__item_iconed"{extra}><a class="menu__link" '
        f'href="{href}" title="{label}"><span class="icon icon_{icon}"></span>'
        f'<span class="title-text">{label}</span></a></div>'
    )


def _wide(module: str, label: str, title: str, *, last: str = "", link_id: str = "") -> str:
    ident = f' id="{link_id}"' if link_id else ""
    return (
        f'<div class="menu__item menu__item_wide{last}"><a class="menu__link"{ident} '
        f'href="/modules.php?name={module}" title="{_e(title)}">{label}{_icon("bottom")}</a></div>'
    )


def _ej_item(court: Court) -> str:
    return (
        '<div class="menu__item" style="background-color: #377bbf;"><a class="menu__link" '
        f'href="https://ej.sudrf.ru/?fromOa={_e(court.code)}">{_icon("right")}{EJ_LABEL}</a></div>'
    )


def _vertical_menu(court: Court) -> str:
    items = "".join(
        f'<div class="menu__item"><a class="menu__link" href="/modules.php?name={module}" '
        f'title="{_e(title)}">{_icon("right")}{label}</a></div>'
        for module, label, title in _SECTIONS
    )
    return f'<div class="menu menu_vertical menu_brown">{_ej_item(court)}{items}</div>'


def _useful_links() -> str:
    blocks = "".join(
        f'<div style="text-align: center; margin-bottom: 7px;"><span><a href="{link}">'
        f'<img src="/themes/mobile/img/banner_{n}.jpg" title=""></a></span><br></div>'
        for n, link in enumerate(_LINKS, start=1)
    )
    return (
        '<div class="m-ver_m m-left_m left_blocks"><div style="text-align: center; margin-bottom: 7px;">'
        '<span style="font-weight: bold; font-size: 12pt;">Полезные ссылки</span></div>'
        f"{blocks}<p></p></div>"
    )


def _right_blocks() -> str:
    return "".join(
        '<div class="m-ver_m m-right_m"><div style="text-align: center;">'
        f'<a href="/modules.php?name=press_dep"><img src="/themes/mobile/img/{name}.png" title=""></a>'
        f"<br>{label}</div></div>"
        for name, label in (("news", "НОВОСТИ СУДА"), ("schedule", "ГРАФИК ПРИЁМА ГРАЖДАН"))
    )


def _header(court: Court, address: str, email: str) -> str:
    sizes = "".join(
        f'<li class="assist_font_size_{size}"><a href="#" title="{title} размер шрифта">А</a></li>'
        for size, title in (("norm", "Стандартный"), ("medium", "Средний"), ("large", "Большой"))
    )
    return (
        '<div class="header"><div class="header__left"><a href="/"><img class="arms" '
        'src="/themes/mobile/img/gerb_rf.png" alt="Arms"></a></div><div class="header__right">'
        f'<ul class="assist_font_size_selector">{sizes}</ul>'
        '<div class="spice spice_assist menu__item_wide"><div class="norm_size_selector menu__item">'
        '<a title="Обычная версия сайта" href="#" class="norm_selector">Обычная версия '
        f"сайта{_icon('bottom')}"
        '</a></div></div><div id="addrblock"><div id="show_more"><div id="show_more_rc">&nbsp;</div>'
        '<div id="show_more_text">развернуть</div><div id="show_more_lc">&nbsp;</div></div>'
        f'<div id="show">{_e(address)}<br>Тел.: канцелярия суда<br><a href="mailto:{email}">{email}</a>'
        '</div></div></div><div class="header__content"><div class="header__middle"><div><a href="/">'
        f'<h5 class="heading heading_caps heading_title">{_e(court.name_ru)}</h5></a></div></div></div></div>'
        f'<div id="address_assist">{_e(address)}<span></span>Тел.: канцелярия суда<span></span>'
        f'<a href="mailto:{email}">{email}</a></div>'
        '<div id="divTooltip" style="display: none;"></div><div id="divFSPopupBottom" style="display: none;">'
        '</div><div id="divFSPopupTop" style="display: none;"></div><div id="popup"><div id="cat_close">'
        '<a href="#">Закрыть</a></div><div id="poptxt"></div></div>'
    )


def _top_menus() -> str:
    short = (
        '<div class="menu menu_horizontal menu_brown spice_adopt-hide spice_assist-hide">'
        + _iconed("/", "pda", "Мобильная версия", extra=' id="menu__item_pda"').replace(
            'class="menu__link"', 'class="menu__link" id="adopt"'
        )
        + _iconed("/", "home", "Главная")
        + _iconed("/modules.php?name=map", "map", "Карта сайта")
        + _wide("sud_delo", "Судебное делопроизводство", "Судебное делопроизводство")
        + _wide("govduty", "Калькулятор госпошлины", "Калькулятор госпошлины", last=" menu__item_last")
        + "</div>"
    )
    sections = "".join(_wide(module, label, title) for module, label, title in _SECTIONS)
    pad = (
        '<div class="menu menu_pad menu_horizontal menu_brown spice spice_assist">'
        + _iconed("/", "home", "Главная")
        + f'<div class="menu__item"><a class="menu__link" href="https://ej.sudrf.ru">{_icon("right")}'
        f"{EJ_LABEL}</a></div>{sections}" + _iconed("/modules.php?name=map", "map", "Карта сайта") + "</div>"
    )
    return short + pad + '<div class="menu menu_horizontal spice_assist-hide"></div>'


def _notice() -> str:
    return (
        '<div class="row m-all_m"><div style="margin-top: 1.5em; margin-bottom: 1.5em;" class="blockall">'
        '<div style="background-color: white;"><div style="text-align: center;"><span><br></span></div>'
        '<span><div style="text-align: center;">Сведения о движении дел размещаются в разделе '
        "«Судебное делопроизводство».</div></span>"
        '<div style="text-align: center;">Справки по делам даёт канцелярия суда в часы приёма.</div>'
        '<div style="text-align: center;"><br></div><span><div style="text-align: center;"><p><span>'
        'Документы по делам подаются через <span style="font-weight: bold;">интернет-портал</span> или '
        "канцелярию суда.</span></p></div></span></div></div></div>"
    )


def _mobile_blocks(court: Court) -> str:
    sections = "".join(_wide(module, label, title) for module, label, title in _SECTIONS)
    bottom = (
        '<div class="menu menu_horizontal menu_brown spice spice_adopt">'
        + _iconed("/", "home", "Главная")
        + f'<div class="menu__item"><a class="menu__link" href="https://ej.sudrf.ru">{_icon("right")}'
        f"{EJ_LABEL}</a></div>{sections}"
        + _iconed("/modules.php?name=map", "map", "Карта сайта")
        + _wide("sud_delo", "Обычная версия сайта", "Обычная версия сайта", link_id="switch-norm")
        + "</div>"
    )
    return (
        '<div class="row m-all_m"></div><div class="row m-all_m spice spice_assist spice_adopt">'
        f'<div class="m-ver_m m-left_m left_blocks">{_vertical_menu(court)}</div>{_useful_links()}'
        f"{_right_blocks()}</div>{bottom}"
    )


@dataclass(frozen=True, slots=True)
class Frame:
    """A court's page around the module box (``head + box_html + tail``), also in windows-1251 bytes."""

    head: str
    tail: str
    head_bytes: bytes
    tail_bytes: bytes

    def encode(self, text: str) -> bytes:
        """``encode_html(text)``, taking this frame's bytes as they are when ``text`` is a page in it."""
        head, tail = self.head, self.tail
        if len(text) >= len(head) + len(tail) and text.startswith(head) and text.endswith(tail):
            # windows-1251 encodes character by character, so the parts encode to the whole's bytes
            return self.head_bytes + encode_html(text[len(head) : len(text) - len(tail)]) + self.tail_bytes
        return encode_html(text)


def encode_html(text: str) -> bytes:
    """windows-1251, as the sites send; a character it lacks becomes a character reference."""
    return text.encode("cp1251", errors="xmlcharrefreplace")


_BOX = "\x00"  # stands for the module box while a frame is cut; never part of the chrome


@lru_cache(maxsize=512)
def frame(court: Court, title: str | None = None) -> Frame:
    """The chrome of ``court``'s pages, built once: every page of a court shares all of it."""
    head, tail = _page(court, _BOX, title).split(_BOX)
    return Frame(head, tail, encode_html(head), encode_html(tail))


def page(court: Court, box_html: str, *, title: str | None = None) -> str:
    """A whole court page whose module box holds ``box_html`` (after the box's head)."""
    chrome = frame(court, title)
    return chrome.head + box_html + chrome.tail


def _page(court: Court, box_html: str, title: str | None) -> str:
    host = court.host or court.search_host or "sudrf.ru"
    email = f"{host.split('.', 1)[0]}@sudrf.ru"
    address = f"г. {court.city_ru}" if court.city_ru else court.name_ru
    left = (
        '<div class="col col_left"><div class="voit assist-toggle"><a id="assist" title="" href="#">'
        f'ВЕРСИЯ ДЛЯ СЛАБОВИДЯЩИХ</a></div><div class="m-ver_m m-left_m left_blocks">{_vertical_menu(court)}'
        f'</div>{_useful_links()}<div class="m-ver_m m-left_m "><div class="menu menu_vertical menu_brown">'
        '<div class="menu__item" style="height: 50px!important;"><div class="gossluzhba">'
        '<a title="Единая информационная система управления кадровым составом государственной гражданской '
        'службы Российской Федерации" href="https://gossluzhba.gov.ru"></a></div></div></div></div></div>'
    )
    right = (
        '<div class="col col_right"><div class="pobedaVOV"><span title="День Победы"></span></div>'
        '<div class="opfr"><a title="Запросы ОПФР" href="/modules.php?name=gbook">Запросы ОПФР</a></div>'
        f"{_right_blocks()}</div>"
    )
    content = (
        f'<div class="col col_content"><div class="wrapper">{_notice()}<div class="box box_common m-all_m">'
        f'<div class="box__head box__head_white">{BOX_HEAD}</div>{box_html}</div>{_mobile_blocks(court)}'
        '</div><div class="footer"><div class="counter spice_adopt-hide spice_assist-hide"></div>'
        '<div class="footer__inner">2006-2026 <a href="https://sudrf.ru">«Государственная автоматизированная '
        'система Российской Федерации «Правосудие»</a></div><div class="footer__mesure"></div></div></div>'
    )
    return (
        '<!DOCTYPE html>\n<html class="adopt"><head>'
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        f"<title>{_e(title or court.name_ru)}</title></head>"
        f'<body class="assist_font_size_norm">\n{_header(court, address, email)}{_top_menus()}'
        f'<div class="page page_decor">{left}{right}{content}</div>\n</body></html>\n'
    )
