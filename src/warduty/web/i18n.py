"""Interface strings in English and Russian, and how a request chooses its language."""

from __future__ import annotations

from typing import Literal

from warduty.stats.outcomes import OUTCOME_LABELS

Lang = Literal["en", "ru"]
LANGS: tuple[Lang, ...] = ("en", "ru")
COOKIE = "lang"

STRINGS: dict[str, dict[Lang, str]] = {
    "site": {"en": "warduty", "ru": "warduty"},
    "tagline": {
        "en": "Prosecutions for leaving the Russian army, from military-court websites",
        "ru": "Уголовные дела об уходе из российской армии по данным сайтов военных судов",
    },
    "overview": {"en": "Overview", "ru": "Обзор"},
    "courts": {"en": "Courts", "ru": "Суды"},
    "cases": {"en": "Cases", "ru": "Дела"},
    "briefing": {"en": "Briefing", "ru": "Сводка"},
    "runs": {"en": "Runs", "ru": "Обходы"},
    "admin": {"en": "Admin", "ru": "Управление"},
    "api": {"en": "API", "ru": "API"},
    "as_of": {"en": "Data as of", "ru": "Данные на"},
    "latest_month": {"en": "Latest month", "ru": "Последний месяц"},
    "still_posting": {"en": "still being posted", "ru": "ещё публикуется"},
    "expected": {"en": "expected", "ru": "ожидается"},
    "region_note": {
        "en": "Region = where the court sits; Moscow Oblast = its four garrison courts.",
        "ru": "Регион — место суда; Московская область — четыре гарнизонных суда области.",
    },
    "moscow_both": {"en": "Moscow city and Oblast together", "ru": "Москва и область вместе"},
    "published_texts": {"en": "Published verdict texts", "ru": "Опубликовано текстов приговоров"},
    "figures_note": {
        "en": "The figures of the briefing (warduty report), each with its definition.",
        "ru": "Показатели сводки (warduty report) с определениями.",
    },
    "records_behind": {"en": "Records behind", "ru": "Записей"},
    "received": {"en": "Cases received", "ru": "Поступило дел"},
    "sentences": {"en": "Defendants sentenced", "ru": "Осуждено"},
    "monthly_received": {"en": "Cases received per month", "ru": "Поступление дел по месяцам"},
    "monthly_sentences": {"en": "Verdicts per month (defendants)", "ru": "Приговоры по месяцам (лица)"},
    "incomplete": {
        "en": "Shaded months are still incomplete: cards reach the court sites with a delay",
        "ru": "Затенённые месяцы ещё не полные: карточки появляются на сайтах судов с задержкой",
    },
    "incomplete_short": {"en": "incomplete month", "ru": "неполный месяц"},
    "chart_hint": {
        "en": "Click a bar to see the cases behind it.",
        "ru": "Нажмите на столбец, чтобы увидеть дела.",
    },
    "top_regions": {
        "en": "Top regions, art. 337 cases received since 21 Sep 2022 (court seat)",
        "ru": "Регионы: дела по ст. 337, поступившие с 21.09.2022 (место суда)",
    },
    "region": {"en": "Region", "ru": "Регион"},
    "sentence_mix": {
        "en": "Sentence mix, art. 337, published verdict texts",
        "ru": "Виды наказаний по ст. 337, опубликованные приговоры",
    },
    "asylum_chart": {
        "en": "First-time asylum applicants with Russian citizenship (Eurostat, monthly)",
        "ru": "Граждане России, впервые подавшие на убежище (Евростат, по месяцам)",
    },
    "record": {"en": "Records", "ru": "Рекорды"},
    "no_data": {"en": "No data yet: run a crawl first.", "ru": "Данных пока нет: сначала запустите обход."},
    "court": {"en": "Court", "ru": "Суд"},
    "level": {"en": "Level", "ru": "Уровень"},
    "last_checked": {"en": "Last checked", "ru": "Последняя проверка"},
    "last_changed": {"en": "Last changed", "ru": "Последнее изменение"},
    "never": {"en": "never", "ru": "никогда"},
    "needs_attention": {"en": "needs attention", "ru": "требует внимания"},
    "attention_note": {
        "en": "The latest crawl found pages of this court it could not read; its counts may be incomplete.",
        "ru": "При последнем обходе часть страниц этого суда не удалось прочитать; "
        "данные могут быть неполными.",
    },
    "missing": {"en": "Missing from site", "ru": "Исчезли с сайта"},
    "case_number": {"en": "Case", "ru": "Дело"},
    "received_date": {"en": "Received", "ru": "Поступило"},
    "decided_date": {"en": "Decided", "ru": "Решение"},
    "result": {"en": "Result", "ru": "Результат"},
    "articles": {"en": "Articles", "ru": "Статьи"},
    "filters": {"en": "Filters", "ru": "Фильтры"},
    "apply": {"en": "Apply", "ru": "Применить"},
    "reset": {"en": "Reset", "ru": "Сбросить"},
    "next_page": {"en": "Next page", "ru": "Следующая страница"},
    "download_csv": {"en": "Download CSV", "ru": "Скачать CSV"},
    "events": {"en": "Hearings and events", "ru": "Движение дела"},
    "persons": {"en": "Defendants", "ru": "Подсудимые"},
    "acts": {"en": "Court acts", "ru": "Судебные акты"},
    "archived_page": {"en": "Archived court page", "ru": "Архивная копия страницы суда"},
    "court_page": {"en": "Page on the court site", "ru": "Страница на сайте суда"},
    "judge": {"en": "Judge", "ru": "Судья"},
    "legal_force": {"en": "In force", "ru": "Вступило в силу"},
    "uid": {"en": "Case UID", "ru": "УИД"},
    "hidden": {"en": "(hidden by the court)", "ru": "(скрыто судом)"},
    "pseudonyms_note": {
        "en": "Defendants are shown under pseudonyms.",
        "ru": "Подсудимые показаны под псевдонимами.",
    },
    "run": {"en": "Run", "ru": "Обход"},
    "kind": {"en": "Kind", "ru": "Вид"},
    "started": {"en": "Started", "ru": "Начат"},
    "finished": {"en": "Finished", "ru": "Закончен"},
    "status": {"en": "Status", "ru": "Статус"},
    # Issue 14: workers and the schedule on the runs page.
    "workers": {"en": "Workers", "ru": "Обработчики"},
    "worker": {"en": "Worker", "ru": "Обработчик"},
    "heartbeat": {"en": "Last heartbeat", "ru": "Последний сигнал"},
    "seconds_ago": {"en": "s ago", "ru": "с назад"},
    "working_on": {"en": "Working on", "ru": "Обходит"},
    "queued_courts": {"en": "Courts of queued runs", "ru": "Суды обходов в очереди"},
    "pages_used": {"en": "Pages", "ru": "Страниц"},
    "attempts": {"en": "Attempts", "ru": "Попыток"},
    "updated": {"en": "Updated", "ru": "Обновлено"},
    "schedule": {"en": "Schedule", "ru": "Расписание"},
    "job": {"en": "Job", "ru": "Задача"},
    "when": {"en": "When", "ru": "Когда"},
    "next_run": {"en": "Next run", "ru": "Следующий запуск"},
    "last_run": {"en": "Last run", "ru": "Последний запуск"},
    "no_workers": {"en": "No worker is running.", "ru": "Ни один обработчик не запущен."},
    "figure": {"en": "Figure", "ru": "Показатель"},
    "value": {"en": "Value", "ru": "Значение"},
    "definition": {"en": "Definition", "ru": "Определение"},
    "see_cases": {"en": "cases", "ru": "дела"},
    "error": {"en": "Error", "ru": "Ошибка"},
    "back": {"en": "Back to the overview", "ru": "Вернуться к обзору"},
    "group": {"en": "Article group", "ru": "Группа статей"},
    "article": {"en": "Article", "ru": "Статья"},
    "outcome": {"en": "Outcome", "ru": "Исход"},
    "from": {"en": "from", "ru": "с"},
    "to": {"en": "to", "ru": "по"},
    "all": {"en": "all", "ru": "все"},
    "count": {"en": "Count", "ru": "Число"},
    "g_awol": {"en": "AWOL (337)", "ru": "СОЧ (337)"},
    "g_desertion": {"en": "Desertion (338)", "ru": "Дезертирство (338)"},
    "g_insubordination": {"en": "Refusing orders (332)", "ru": "Неисполнение приказа (332)"},
    "g_violence_against_superior": {
        "en": "Violence against a superior (334)",
        "ru": "Насилие к начальнику (334)",
    },
    "g_malingering": {"en": "Malingering (339)", "ru": "Уклонение путём симуляции (339)"},
    "p_imprisonment": {"en": "imprisonment", "ru": "лишение свободы"},
    "p_fine": {"en": "fine", "ru": "штраф"},
    "p_service_restriction": {"en": "restriction in service", "ru": "ограничение по военной службе"},
    "p_unknown": {"en": "not stated", "ru": "не указано"},
    "p_real": {"en": "real prison term", "ru": "реальное лишение свободы"},
    "p_suspended": {"en": "suspended sentence", "ru": "условно"},
    "p_disciplinary_unit": {"en": "disciplinary unit", "ru": "дисциплинарная воинская часть"},
    "p_other_punishment": {"en": "other / not read", "ru": "иное / не прочитано"},
    "p_mobilised": {"en": "of them mobilised", "ru": "из них мобилизованные"},
    "archived_banner": {
        "en": "Archived copy of the court page, fetched at",
        "ru": "Архивная копия страницы суда, получена",
    },
    "redacted_banner": {
        "en": "Defendants' names are replaced by pseudonyms.",
        "ru": "Имена подсудимых заменены псевдонимами.",
    },
    "captcha": {"en": "Captcha", "ru": "Капча"},
    "answer": {"en": "Answer", "ru": "Ответ"},
    "start_crawl": {"en": "Start a crawl", "ru": "Запустить обход"},
    "token": {"en": "Admin token", "ru": "Токен администратора"},
    "sign_in": {"en": "Sign in", "ru": "Войти"},
    "sign_out": {"en": "Sign out", "ru": "Выйти"},
    "progress": {"en": "Progress", "ru": "Ход обхода"},
    "pages_fetched": {"en": "pages fetched", "ru": "страниц получено"},
    "no_captcha": {"en": "No captcha is waiting.", "ru": "Капча не ожидается."},
    "language": {"en": "Русский", "ru": "English"},
    "check": {"en": "Check a claim", "ru": "Проверить утверждение"},
    "check_nav": {"en": "Check a claim", "ru": "Проверить"},
    "check_hint": {
        "en": "Paste a sentence or paragraph from the news (English or Russian). Each number in it is "
        "checked against the court records or the asylum series, by the definitions the statistics use.",
        "ru": "Вставьте предложение или абзац из новостей (по-русски или по-английски). Каждое число в нём "
        "сверяется с судебными делами или с рядом данных об убежище по определениям статистики.",
    },
    "check_button": {"en": "Check", "ru": "Проверить"},
    "tolerance_note": {
        "en": "close = within 5 % of the claimed number; a round number matches what rounds to it",
        "ru": "близко — в пределах 5 % от заявленного числа; круглое число совпадает с тем, что к нему "
        "округляется",
    },
    "figure_exact": {"en": "What the sentence says", "ru": "По формулировке"},
    "figure_nearest": {"en": "What the number is", "ru": "Чем является число"},
    "no_claims": {
        "en": "No quantitative claim found: a number, or a superlative such as “record”.",
        "ru": "Утверждений с числами не найдено: нужно число или «рекорд».",
    },
    "asylum_source": {"en": "Asylum series", "ru": "Ряд данных об убежище"},
}


def translate(key: str, lang: Lang) -> str:
    entry = STRINGS.get(key)
    return entry[lang] if entry else key


def choose(query: str | None, cookie: str | None) -> Lang:
    for candidate in (query, cookie):
        if candidate == "ru":
            return "ru"
        if candidate == "en":
            return "en"
    return "en"


# Outcome names: the classifier's own labels (warduty.stats.outcomes), one wording everywhere.
STRINGS.update({f"o_{key}": {"en": en, "ru": ru} for key, (en, ru) in OUTCOME_LABELS.items()})
