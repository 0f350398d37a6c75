"""Pages that are not articles: error, wall and placeholder pages, told by their text.

A wall page (a 404 body, "JavaScript is not available", a cookie or login wall, a bot check, a
parked domain, a suspended account) says little, and says it in stock phrases; an article may
quote such a phrase but says more around it. So a body is judged a non-article only when it is
short and nearly all of it is stock phrases, never because a phrase occurs: a sentence is stock
only when a kind's phrases (with filler and the words walls are written in) cover most of its
letters; a sentence made of those words alone is a wall's explanation, and menu-sized scraps count
for nothing; the story words left over must stay fewer than the stock ones and under a small bound.

The same idea over many pages (``recurring_reason``): one short text on many unrelated URLs of a
site, under different titles, is a wall or soft-404 text that the phrases did not know.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MAX_WALL_WORDS = 250
"""A body longer than this (in words, ``word_size``) is never judged a wall page by its phrases."""
STORY_WORDS = 10
STORY_SHARE = 0.2
"""A wall page may hold story-like words beyond its stock phrases (a site's name, a sentence of its
own), at most max(STORY_WORDS, STORY_SHARE x its size), and always fewer than its stock words."""
TITLE_ONLY_WORDS = 40
"""When only the title (or URL) is stock, the body must be at most this short."""
STOCK_SHARE = 0.5
"""A sentence is stock when stock phrases (with filler and wall words) cover this share of its letters."""
EXPLANATION_SHARE = 0.6
"""A sentence without a phrase is a wall's explanation, no story, when wall words cover this share."""
SCRAP_WORDS = 3
"""A line of at most this many words, not ending a sentence, is a button or menu scrap: neither."""

RECURRING_PAGES = 3
RECURRING_TITLES = 3
RECURRING_MAX_WORDS = 80
"""The recurrence rule: a text under RECURRING_MAX_WORDS words on RECURRING_PAGES or more URL keys
of one site, under RECURRING_TITLES or more different titles, is no article."""


def reject_reason(reason: str) -> str:
    """The one wording of a non-article's reject, so stats and tests can group them."""
    return f"not an article ({reason}); skipped"


# -- normalising ----------------------------------------------------------------------------
_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")  # harakat, superscript alef, tatweel
_ARABIC_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})


def _fold(text: str) -> str:
    """Text as the phrases are written: NFKC, lower case, straight apostrophes, Arabic letter
    variants and vowel marks folded, whitespace runs as one space."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_APOSTROPHES)
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)
    return " ".join(text.split())


_UNSPACED = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
"""Scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, kana, CJK)."""


def word_size(text: str) -> int:
    """Words in a text, whatever its script: a run of unspaced script counts one word per two
    characters, so a Chinese story is not "short" for having no spaces."""
    size = 0
    for token in text.split():
        unspaced = len(_UNSPACED.findall(token))
        size += max(1, (unspaced + 1) // 2) if unspaced else 1
    return size


def _letters(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


# -- the stock phrases ----------------------------------------------------------------------
# Written folded (lower case, straight apostrophes; Arabic is folded when compiled). No
# upper-case escapes. Each phrase is matched between word boundaries, except _UNSPACED_PHRASES.
_THE_PAGE_EN = (
    r"(?:the |this |that )?(?:page|url|link|resource|file|content|article|story|address)"
    r"(?: you(?:'re| are| were) (?:looking for|trying to (?:reach|access|find))| you requested| requested)?"
)
_NOT_THERE_EN = (
    r"(?:(?:could|can)(?:not|n't) be found|was not found|is not found|(?:does not|doesn't|did not|didn't) exist"
    r"|no longer exists|(?:is|was) (?:no longer|not) available|isn't available|is (?:temporarily )?unavailable"
    r"|(?:may|might) have been (?:moved|removed|deleted|renamed)|has been (?:moved|removed|deleted))"
)
_JS = r"(?:javascript|java script|جافا ?سكريبت|جافاسكربت)"
_COOKIES_AR = r"(?:ملفات تعريف الارتباط|ملفات الكوكيز|الكوكيز|ملفات الارتباط|الكوكيز)"

_PHRASES: dict[str, tuple[str, ...]] = {
    "error page": (
        # en
        r"(?:error |http )?(?:40[0345]|410|50[0234])(?: error)?(?: -)? (?:page )?(?:not found|forbidden|error|page)",
        r"(?:error|http error|erreur|fehler|código de error|خطا|ошибка|errore|erro) ?(?:40[0345]|410|50[0234])",
        r"50[0234] (?:internal server error|bad gateway|service unavailable|gateway time-?out)",
        r"(?:page|file|url|site) (?:was )?not found",
        rf"{_THE_PAGE_EN} {_NOT_THERE_EN}",
        r"(?:sorry|oops|whoops|uh oh)[,!.]* (?:we|we've|we have) (?:can't|cannot|couldn't|could not) find"
        r" (?:that|the|this|what you(?:'re| are) looking for)(?: page)?",
        r"(?:we|i) (?:can't|cannot|couldn't|could not) find (?:that|the|this|what you(?:'re| are) looking for)(?: page)?",
        r"(?:the )?requested (?:url|page|resource|file|document)(?: \S+)? (?:was not found|could not be found"
        r"|is no longer available|does not exist)",
        r"(?:this|that) page (?:does not|doesn't) exist",
        r"nothing (?:was )?found (?:here|at this (?:location|address))",
        r"internal server error",
        r"service (?:is )?(?:temporarily )?unavailable",
        r"bad gateway",
        r"gateway time-?out",
        r"something went wrong",
        r"(?:it|the page|this page|the link) (?:may|might) have been (?:moved|removed|deleted|renamed)",
        r"(?:the |this )?(?:address|url|link|web address) (?:may|might) (?:be|have been) (?:mistyped|incorrect|wrong|broken|outdated)",
        r"(?:please )?check (?:the|your) (?:url|address|spelling|link)",
        r"the server encountered an (?:unexpected condition|internal error|error)(?: or misconfiguration)?"
        r"(?: (?:that|and was unable to|which) [\w ]{0,60})?",
        r"an (?:unexpected |internal )?error (?:has )?occurred",
        r"(?:this|the) (?:site|website|web ?page|page) (?:can't|cannot|could not|couldn't) be reached",
        r"took too long to respond",
        r"refused to connect",
        r"(?:dns_probe_finished_nxdomain|err_connection_(?:refused|timed_out|reset|closed)|err_name_not_resolved)",
        r"(?:server|site|webpage) not (?:found|available)",
        r"we(?:'re| are) having trouble finding that site",
        r"unable to connect",
        r"the connection (?:has timed out|was reset)",
        # fr
        r"page (?:introuvable|non trouvée|inexistante)",
        r"(?:la |cette )?page (?:que vous (?:recherchez|cherchez|demandez|avez demandée)|demandée)"
        r" (?:n'existe pas|n'existe plus|est introuvable|n'a pas été trouvée|n'est (?:plus )?disponible"
        r"|a été (?:supprimée|déplacée))",
        r"cette page n'existe (?:pas|plus)",
        r"nous (?:ne trouvons pas|n'avons pas (?:pu )?trouv(?:é|er)) (?:cette page|la page|ce que vous (?:cherchez|recherchez))",
        r"(?:ce site|cette page) (?:est inaccessible|est introuvable)",
        r"impossible d'accéder (?:à ce site|au site)",
        r"erreur interne du serveur",
        r"service (?:temporairement )?indisponible",
        r"une erreur (?:s'est produite|est survenue)",
        # de
        r"seite (?:wurde )?nicht gefunden",
        r"(?:die |diese )?(?:angeforderte |gesuchte |von ihnen gesuchte |aufgerufene )?seite"
        r" (?:wurde nicht gefunden|existiert (?:leider )?nicht(?: mehr)?|konnte nicht gefunden werden"
        r"|ist (?:leider )?(?:nicht|nicht mehr) (?:verfügbar|erreichbar))",
        r"(?:diese|die) (?:website|webseite|seite) ist nicht erreichbar",
        r"interner serverfehler",
        r"dienst (?:vorübergehend )?nicht verfügbar",
        r"ein fehler ist aufgetreten",
        r"(?:da ist )?etwas (?:ist )?schiefgelaufen",
        # es
        r"página no encontrada",
        r"(?:la |esta )?página (?:que (?:buscas|busca|estás buscando|está buscando|has solicitado|ha solicitado)"
        r"|solicitada) (?:no existe|ya no existe|no (?:se )?(?:ha podido|pudo) (?:ser )?encontrar(?:se)?"
        r"|no está disponible|ya no está disponible|no se encuentra|ha sido (?:eliminada|movida))",
        r"(?:esta|la) página no existe",
        r"no (?:se puede|es posible) acceder a (?:este|el) sitio(?: web)?",
        r"error interno del servidor",
        r"servicio no disponible",
        r"(?:se ha producido|ha ocurrido|ocurrió) un error",
        r"algo (?:salió|ha salido) mal",
        r"no (?:hemos podido |pudimos |podemos )?encontr(?:ar|amos) (?:la página|esta página|esa página"
        r"|lo que (?:buscas|busca|estás buscando|está buscando))",
        # ar
        r"(?:ال)?صفحة غير موجودة",
        r"لم (?:يتم العثور|نتمكن من العثور|يعثر) على (?:ال)?صفحة(?: المطلوبة)?",
        r"(?:ال)?صفحة (?:المطلوبة|التي تبحث عنها) (?:غير موجودة|لم تعد موجودة|غير متوفرة|غير متاحة)",
        r"(?:تعذر|يتعذر|لا يمكن) الوصول إلى (?:هذا الموقع|هذه الصفحة|الصفحة)",
        r"خطأ (?:داخلي )?في الخادم",
        r"حدث خطأ(?: ما)?",
        # pt, it, nl, ru, ko
        r"página não encontrada",
        r"pagina non trovata",
        r"pagina niet gevonden",
        r"страница не найдена",
        r"페이지를 찾을 수 없습니다",
    ),
    "access denied": (
        r"access (?:is )?(?:denied|forbidden|restricted|blocked)",
        r"access to (?:this|the) (?:page|site|website|resource|content) (?:has been|is|was) (?:denied|blocked|restricted)",
        r"you (?:do not|don't) have (?:the )?(?:permission|authori[sz]ation|access|rights?) to (?:access|view|see)"
        r"(?: (?:this|the|that) (?:page|site|resource|content|server|url))?",
        r"403 forbidden",
        r"forbidden",
        r"(?:you are|you're) not (?:authori[sz]ed|allowed|permitted) to (?:access|view)(?: this (?:page|site|content))?",
        r"(?:sorry, )?you have been blocked",
        r"(?:your )?(?:request|ip(?: address)?|access) (?:has been|was|is) (?:blocked|denied|rejected)",
        r"(?:the )?request (?:was )?(?:blocked|rejected)",
        r"(?:this|the) (?:content|page|video|site|website|service) is not available in your (?:country|region|location|area)",
        r"not available in your (?:country|region)",
        r"your access to this (?:site|website|service) has been limited",
        r"401 unauthori[sz]ed",
        r"unauthori[sz]ed(?: access)?",
        # fr
        r"accès (?:refusé|interdit|bloqué|restreint)",
        r"vous n'(?:avez|êtes) pas (?:la permission|l'autorisation|autorisé|le droit) (?:d'accéder|à accéder|d'y accéder)"
        r"(?: à (?:cette page|ce site|ce contenu))?",
        r"(?:ce contenu|cette page|ce site|cette vidéo) n'est pas disponible dans votre (?:pays|région|zone)",
        r"(?:votre )?(?:requête|accès) a été bloqué(?:e)?",
        # de
        r"zugriff (?:verweigert|gesperrt|nicht erlaubt)",
        r"zugang verweigert",
        r"sie haben keine (?:berechtigung|zugriffsberechtigung|befugnis)(?:,? (?:diese seite|auf diese seite) (?:aufzurufen|zuzugreifen))?",
        r"(?:in ihrem land|in ihrer region) nicht verfügbar",
        r"(?:ihr )?(?:zugriff|anfrage) (?:wurde|ist) (?:blockiert|gesperrt)",
        # es
        r"acceso (?:denegado|prohibido|bloqueado|restringido)",
        r"no (?:tienes|tiene|dispones de|dispone de) (?:permiso|permisos|autorización) (?:para acceder|para ver)"
        r"(?: a)?(?: (?:esta página|este sitio|este contenido))?",
        r"no está disponible en (?:tu|su) (?:país|región|zona)",
        r"(?:tu|su) (?:acceso|solicitud) (?:ha sido|fue) bloquead[oa]",
        # ar
        r"(?:تم )?رفض الوصول",
        r"الوصول (?:مرفوض|ممنوع|محظور)",
        r"(?:ليس لديك|لا تملك) (?:إذن|صلاحية|صلاحيات|تصريح) (?:للوصول|الوصول|لعرض)(?: إلى)?(?: هذه الصفحة)?",
        r"غير (?:متاح|متوفر|متاحة|متوفرة) في (?:بلدك|منطقتك|دولتك)",
        r"تم حظر (?:وصولك|طلبك|الوصول)",
        # pt, it, nl, ru
        r"acesso negado",
        r"accesso negato",
        r"toegang geweigerd",
        r"доступ (?:запрещ[её]н|закрыт)",
    ),
    "JavaScript wall": (
        rf"{_JS} (?:is|seems to be|appears to be) (?:not available|disabled|turned off|not enabled|required|blocked)"
        r"(?: (?:in|on) (?:this|your) browser)?",
        rf"(?:we(?:'ve| have) detected that )?{_JS} is disabled in (?:this|your) browser",
        rf"(?:please |you (?:need|have) to |you must )?(?:enable|turn on|activate|allow) {_JS}"
        r"(?: (?:in your browser|and (?:cookies|reload the page)))?"
        r"(?: to (?:continue|proceed|view (?:this|the) (?:page|site|content)|use (?:this|the) (?:site|app|website)"
        r"|run this app))?",
        rf"(?:this|the) (?:site|app|application|page|website|web ?page|content) requires {_JS}",
        rf"{_JS} (?:must|needs to) be enabled",
        rf"(?:requires?|needs?) (?:a (?:web )?browser (?:that (?:can handle|supports)|with) )?{_JS}(?: (?:to be )?enabled)?",
        rf"(?:and )?(?:has|have) {_JS} (?:enabled|turned on)",
        r"(?:switch to|use|upgrade to) a supported browser(?: to continue(?: using [\w.-]+)?)?",
        r"(?:you can )?see a list of supported browsers",
        rf"your (?:web )?browser (?:does not|doesn't) support {_JS}",
        rf"without {_JS}",
        # fr
        rf"{_JS} (?:est|semble) (?:désactivé|indisponible|requis|nécessaire)",
        rf"{_JS} n'est pas (?:disponible|activé)",
        rf"(?:veuillez |merci d'|vous devez )?(?:activer|activez) (?:le )?{_JS}(?: (?:dans votre navigateur|pour continuer))?",
        rf"(?:nécessite|requiert) (?:le )?{_JS}",
        r"navigateur (?:compatible|pris en charge)",
        # de
        rf"{_JS} ist (?:deaktiviert|nicht verfügbar|nicht aktiviert|erforderlich)",
        rf"(?:bitte )?aktivieren sie (?:bitte )?{_JS}(?: in ihrem browser)?",
        rf"{_JS} (?:muss aktiviert (?:sein|werden)|wird benötigt)",
        rf"(?:benötigt|erfordert) {_JS}",
        r"(?:einen )?unterstützten browser",
        # es
        rf"{_JS} (?:está (?:desactivado|deshabilitado)|no está (?:disponible|habilitado|activado)|es necesario|es obligatorio)",
        rf"(?:por favor,? )?(?:activa|habilita|active|habilite|activar|habilitar) (?:el )?{_JS}(?: en (?:tu|su) navegador)?",
        rf"(?:requiere|necesita) (?:el )?{_JS}",
        r"navegador compatible",
        # ar
        rf"(?:ال)?{_JS} (?:غير (?:متاح|متاحة|مفعل|مفعلة|ممكن)|معطل|معطلة|مطلوب)(?: في (?:هذا )?المتصفح)?",
        rf"(?:يرجى|الرجاء|يجب) (?:تفعيل|تمكين) (?:ال)?{_JS}(?: في (?:متصفحك|المتصفح))?",
        rf"(?:تفعيل|تمكين) (?:ال)?{_JS}",
        # pt, it, nl, ru
        rf"(?:ative|ativar|habilite) o {_JS}",
        rf"(?:abilita|attiva|abilitare|attivare) (?:il )?{_JS}",
        rf"(?:schakel|zet) {_JS} (?:in|aan)",
        rf"(?:включите|включить) {_JS}",
        rf"{_JS} (?:отключ[её]н|выключен)",
    ),
    "cookie wall": (
        r"(?:we|this (?:site|website)|our (?:site|website|partners)|we and our (?:\d+ )?partners)"
        r" (?:use|uses|store and/or access|set|place) (?:cookies|information on a device)"
        r"(?: (?:and similar technologies|to (?:improve|give|enhance|personali[sz]e) [\w ]{0,40}))?",
        r"(?:accept|allow|reject|decline|refuse) (?:all |optional |non-essential |additional )?cookies",
        r"(?:accept|allow|reject) all",
        r"(?:the )?(?:use|usage|storing) of cookies",
        r"cookie (?:settings|preferences|policy|consent|notice|banner|choices)",
        r"(?:manage|customi[sz]e|change) (?:your )?(?:cookie )?(?:preferences|settings|choices|consent|options)",
        r"we value your privacy",
        r"by (?:continuing|clicking[^.]{0,30}|using (?:this|our) (?:site|website))[^.]{0,60}?(?:you )?(?:agree|consent|accept)"
        r"(?: to (?:the|our) (?:use of cookies|cookie policy|storing of cookies|terms))?",
        r"(?:you )?(?:agree|consent) to (?:the|our) (?:use of cookies|cookie policy|storing of cookies)",
        r"personali[sz]ed (?:ads|advertising) and content",
        r"ad and content measurement",
        r"audience (?:insights|research)",
        r"legitimate interests?",
        r"(?:store and/or access|process) (?:information on a device|personal data)",
        r"(?:strictly )?necessary cookies",
        r"your privacy (?:choices|settings)",
        r"do not sell (?:or share )?my personal information",
        # fr
        r"(?:nous|ce site|notre site|nos partenaires et nous|nous et nos partenaires) (?:utilis(?:ons|e)|dépos(?:ons|e)) des cookies"
        r"(?: (?:et (?:des )?technologies similaires|pour [\w ']{0,40}))?",
        r"(?:accepter|refuser) (?:tous les |les )?cookies",
        r"tout (?:accepter|refuser)",
        r"continuer sans accepter",
        r"(?:gérer|personnaliser|paramétrer) (?:mes |les |vos )?(?:choix|préférences|cookies|paramètres)",
        r"en poursuivant votre navigation(?: sur ce site)?",
        r"(?:l')?(?:utilisation|dépôt) (?:des|de) cookies",
        r"politique (?:de cookies|relative aux cookies|en matière de cookies)",
        r"(?:le respect de )?votre vie privée(?: (?:est notre priorité|nous importe))?",
        r"nos partenaires",
        # de
        r"(?:wir|diese (?:website|webseite|seite)) (?:verwenden|verwendet|nutzen|nutzt|setzen|setzt) cookies"
        r"(?: und ähnliche technologien)?",
        r"(?:alle )?cookies (?:akzeptieren|ablehnen|zulassen)",
        r"alle (?:akzeptieren|ablehnen)",
        r"cookie-?(?:einstellungen|richtlinie|hinweis)",
        r"(?:einstellungen|präferenzen) (?:verwalten|anpassen)",
        r"wir und unsere partner",
        r"ihre (?:zustimmung|einwilligung)",
        r"mit der nutzung (?:dieser|unserer) (?:website|webseite|seite) stimmen sie",
        # es
        r"(?:utilizamos|usamos|este sitio(?: web)? utiliza|esta web utiliza|este sitio usa) (?:cookies|galletas)"
        r"(?: propias y de terceros)?",
        r"(?:aceptar|rechazar) (?:todas las |las )?cookies",
        r"(?:aceptar|rechazar) todo",
        r"(?:configuración|configurar|política|gestionar) (?:de )?(?:las )?cookies",
        r"(?:gestionar|personalizar|configurar) (?:mis |las |sus |tus )?(?:preferencias|opciones)",
        r"al (?:continuar|seguir) navegando",
        r"(?:su|tu) privacidad",
        r"nuestros socios",
        # ar
        rf"(?:نستخدم|نحن نستخدم|يستخدم (?:هذا )?الموقع|يستخدم موقعنا) {_COOKIES_AR}",
        rf"(?:قبول|رفض) (?:جميع |كل )?{_COOKIES_AR}",
        r"(?:قبول|رفض) الكل",
        rf"سياسة (?:{_COOKIES_AR}|الخصوصية)",
        rf"(?:إعدادات|تفضيلات) (?:{_COOKIES_AR}|الخصوصية)",
        r"(?:باستمرارك|من خلال الاستمرار) في (?:التصفح|استخدام (?:هذا )?الموقع)",
        # pt, it, nl, ru
        r"(?:usamos|utilizamos|este site (?:usa|utiliza)) cookies",
        r"(?:utilizziamo|usiamo|questo sito (?:usa|utilizza)) (?:i )?cookie",
        r"(?:wij gebruiken|we gebruiken|deze website gebruikt) cookies",
        r"(?:мы используем|этот сайт использует) (?:файлы )?cookie",
    ),
    "parked domain": (
        r"(?:this |the )?(?:domain|website|site|web ?page)(?: name)?(?: [\w.-]+)? (?:is|may be|might be) for sale!?",
        r"is your first and best source for (?:all of )?the information you(?:'re| are) looking for",
        r"(?:buy|purchase|make an offer on|inquire about|get) this domain(?: name)?",
        r"domain (?:name )?(?:is )?(?:for sale|parked)",
        r"(?:this )?(?:domain|web ?page|website) (?:is|has been) parked(?: free)?",
        r"parked (?:free|domain)",
        r"(?:this|the) domain(?: name)?(?: [\w.-]+)? (?:has )?expired",
        r"(?:this|the) domain(?: name)? (?:was|has been) (?:recently )?registered (?:at|with|by)",
        r"related (?:searches|links)",
        r"sponsored (?:listings|links)",
        r"(?:courtesy of|hosted by|provided by|brought to you by) (?:godaddy|namecheap|sedo|hugedomains|dan\.com|bodis|parkingcrew|afternic)",
        r"(?:godaddy|sedo|hugedomains|dan\.com|afternic|bodis) (?:domain )?(?:parking|marketplace|auction)",
        r"(?:the )?owner of this domain",
        r"(?:register|find) (?:your|a) (?:own )?domain(?: name)?",
        # fr
        r"ce (?:nom de )?domaine (?:est (?:à vendre|en vente|parqué|disponible)|a expiré|est peut-être à vendre|peut être à vendre)",
        r"acheter ce (?:nom de )?domaine",
        r"(?:nom de )?domaine (?:à vendre|parqué)",
        # de
        r"(?:diese|die) domain(?: [\w.-]+)? (?:steht zum verkauf|ist zu verkaufen|kaufen|ist geparkt"
        r"|wurde (?:soeben |gerade )?registriert|ist abgelaufen|kann erworben werden)",
        r"domain (?:kaufen|zu verkaufen|steht zum verkauf)",
        # es
        r"(?:este|el) dominio(?: [\w.-]+)? (?:(?:está|puede estar) (?:a la venta|en venta|aparcado|estacionado|disponible)"
        r"|se vende|ha (?:expirado|caducado)|(?:ha sido|fue) registrado)",
        r"comprar este dominio",
        r"dominio (?:a la venta|en venta)",
        # ar
        r"(?:هذا )?(?:النطاق|الدومين|اسم النطاق|اسم الدومين)(?: [\w.-]+)? (?:للبيع|معروض للبيع|منتهي الصلاحية|انتهت صلاحيته)",
        r"(?:اشتر|شراء|اشتري) (?:هذا )?(?:النطاق|الدومين|اسم النطاق)",
    ),
    "placeholder page": (
        r"welcome to nginx!?",
        r"(?:apache2?|apache http server)(?: \w+)? (?:default|test) page",
        r"it works!",
        r"this is the default (?:web )?(?:server )?page",
        r"if you see this page,? the (?:nginx|apache|web) (?:web )?server is successfully installed",
        r"(?:website|site|page|store) (?:is )?(?:coming soon|under construction|under maintenance)",
        r"coming soon",
        r"under construction",
        r"index of /[\w./-]*",
        r"name last modified size description",
        r"parent directory",
        r"(?:we(?:'re| are)|site is|website is) (?:currently )?(?:down for|undergoing) (?:scheduled )?maintenance",
        r"we(?:'ll| will) be back (?:soon|shortly)",
        r"future home of [\w .-]+",
        r"this domain is (?:established|for use) (?:to be used )?(?:for|in) illustrative examples(?: in documents)?",
        r"you may use this domain in (?:literature|examples) without prior coordination(?: or asking for permission)?",
        # fr, de, es, ar
        r"site en (?:construction|maintenance)",
        r"(?:bientôt disponible|prochainement)",
        r"en cours de (?:construction|maintenance)",
        r"(?:seite|website|webseite) (?:befindet sich )?(?:im aufbau|in wartung|in bearbeitung)",
        r"(?:demnächst|in kürze) (?:verfügbar|online)",
        r"wartungsarbeiten",
        r"(?:sitio|página|web)(?: web)? en (?:construcción|mantenimiento)",
        r"próximamente",
        r"estamos en mantenimiento",
        r"(?:الموقع|الصفحة) (?:قيد|تحت) (?:الإنشاء|الصيانة|التطوير)",
        r"قريبا",
        r"الموقع في (?:طور|وضع) الصيانة",
    ),
    "account suspended": (
        r"(?:this |the |your )?account (?:has been |is |was )?(?:suspended|disabled|deactivated|terminated|locked)",
        r"(?:this |the )?(?:site|website|web ?site|web ?page|page|domain) (?:has been|is|was) (?:suspended|disabled|deactivated)",
        r"account suspended",
        r"(?:please )?contact (?:your|the) (?:web ?)?(?:hosting|host) (?:provider|company|support)(?: for (?:more )?(?:information|details))?",
        r"bandwidth limit exceeded",
        r"(?:this|the) (?:site|website) is (?:temporarily )?(?:offline|disabled)",
        r"suspendedpage",
        r"(?:the )?owner of this (?:site|website) has been (?:notified|contacted)",
        # fr
        r"(?:ce |le |votre )?compte (?:a été |est )?(?:suspendu|désactivé|bloqué)",
        r"(?:ce |le )?site (?:a été |est )?(?:suspendu|désactivé)",
        r"contactez votre hébergeur",
        # de
        r"(?:dieses |das |ihr )?(?:konto|account|benutzerkonto) (?:wurde |ist )?(?:gesperrt|suspendiert|deaktiviert)(?: worden)?",
        r"(?:diese |die )?(?:website|webseite|seite|domain) (?:wurde |ist )?(?:gesperrt|deaktiviert|suspendiert)",
        r"wenden sie sich an ihren (?:hosting-?anbieter|provider|hoster)",
        # es
        r"(?:esta |la |tu |su )?cuenta (?:ha sido |fue |está )?(?:suspendida|desactivada|bloqueada|cancelada)",
        r"(?:este |el )?sitio(?: web)? (?:ha sido |fue |está )?(?:suspendido|desactivado)",
        r"(?:contacte|contacta|póngase en contacto|ponte en contacto) con (?:su|tu) (?:proveedor de )?(?:hosting|alojamiento)",
        # ar
        r"(?:تم )?(?:تعليق|إيقاف|تعطيل) (?:هذا )?(?:الحساب|حسابك|الموقع)",
        r"(?:الحساب|هذا الحساب|الموقع) (?:معلق|موقوف|معطل)",
        r"(?:يرجى )?(?:الاتصال|التواصل) (?:مع|ب)(?:مزود|شركة) (?:الاستضافة|خدمة الاستضافة)",
        # pt, it, ru
        r"conta suspensa",
        r"account sospeso",
        r"аккаунт (?:заблокирован|приостановлен)",
    ),
    "login/paywall": (
        r"(?:subscribe|sign up|register|log ?in|sign in|become a (?:member|subscriber))(?: now| today)? (?:to|and)"
        r" (?:continue|keep|start|read|unlock|get|view|access)(?: reading)?"
        r"(?: (?:this|the)(?: full)? (?:article|story))?",
        r"(?:to )?(?:continue|keep) reading",
        r"this (?:article|story|content|page) is (?:only )?(?:available|reserved|exclusive) (?:to|for)"
        r" (?:subscribers|members|registered users|premium (?:subscribers|members))(?: only)?",
        r"(?:exclusive|only) (?:to|for) (?:subscribers|members)",
        r"subscribers only",
        r"(?:already|are you) (?:a )?(?:subscriber|member)\??",
        r"(?:you(?:'ve| have) )?(?:reached|used) (?:your|all of your|the) (?:free )?(?:article |story )?limit",
        r"(?:you(?:'ve| have) read|you have used) (?:all )?(?:of )?(?:your )?(?:\d+ )?free (?:articles|stories)",
        r"\d+ free (?:articles|stories) (?:left|remaining|this month)",
        r"(?:unlock|read) (?:this|the full) (?:article|story)",
        r"(?:create|register for) a free account",
        r"(?:subscribe|subscription) (?:now|today|from [$€£]?[\d.,]+)",
        r"(?:get|start|enjoy) (?:unlimited|full|digital) access",
        r"premium (?:content|article)",
        r"(?:log|sign) in (?:to|or) (?:your account|subscribe|register)",
        r"(?:don't|do not) have an account\??",
        r"(?:cancel|cancell?ation) (?:anytime|at any time)",
        r"support (?:independent|quality) journalism",
        r"(?:for|from) (?:just |only )?[$€£][\d.,]+ (?:a|per) (?:month|week|year)",
        r"to read (?:this|the full) (?:article|story)",
        # fr
        r"abonnez-vous (?:pour|et) (?:lire|continuer|poursuivre|accéder|débloquer)(?: la suite| cet article)?",
        r"(?:la suite de )?cet (?:article|contenu) est réservée? aux (?:abonnés|membres|inscrits)",
        r"réservée? aux abonnés",
        r"(?:vous êtes )?déjà abonné ?\??",
        r"connectez-vous pour (?:lire|continuer|poursuivre|accéder)(?: la suite| à cet article)?",
        r"il vous reste \d+ ?% de cet article à lire",
        r"pour lire la suite",
        r"(?:lire|poursuivre) la suite",
        r"s'abonner",
        r"sans engagement",
        # de
        r"(?:jetzt )?(?:weiterlesen|lesen sie weiter|weiter lesen) mit [\w+ -]{0,20}",
        r"(?:dieser|der) (?:artikel|beitrag|inhalt) ist (?:nur )?(?:für|exklusiv für)"
        r" (?:abonnenten|abonnent(?:inn)?en|mitglieder|plus-(?:kunden|leser))",
        r"(?:schon|bereits) (?:abonnent|abonniert|registriert) ?\??",
        r"(?:melden sie sich an|anmelden|registrieren sie sich),? (?:um|und) (?:weiterzulesen|weiter ?zu ?lesen|den artikel zu lesen)",
        r"um (?:den (?:ganzen |vollständigen )?artikel|weiter) ?zu ?lesen",
        r"(?:exklusiv|nur) für (?:abonnenten|abonnent(?:inn)?en|mitglieder)",
        r"jetzt abonnieren",
        r"(?:plus|premium)-?(?:artikel|inhalt)",
        r"(?:jederzeit|monatlich) kündbar",
        # es
        r"(?:suscríbete|suscríbase|regístrate|regístrese|inicia sesión|inicie sesión) (?:para|y)"
        r" (?:seguir|continuar|leer|acceder|desbloquear)(?: leyendo)?",
        r"(?:este|el) (?:artículo|contenido) es (?:exclusivo|solo) para (?:suscriptores|socios|abonados|usuarios registrados)",
        r"(?:exclusivo|solo) para (?:suscriptores|socios|abonados)",
        r"¿?(?:ya eres|ya es) (?:suscriptor|socio|abonado)\??",
        r"(?:para )?(?:seguir|continuar) leyendo",
        r"has (?:alcanzado|llegado a) (?:tu|el) límite de (?:artículos|noticias)",
        r"contenido (?:exclusivo|premium)",
        r"suscríbete (?:ahora|hoy|ya)",
        r"cancela cuando quieras",
        # ar
        r"(?:اشترك|سجل|سجل الدخول|قم بتسجيل الدخول)(?: الآن)? (?:لمتابعة|لمواصلة|لإكمال|لقراءة|للمتابعة)"
        r"(?: (?:القراءة|المقال|الخبر))?",
        r"(?:هذا )?(?:المحتوى|المقال|الخبر) (?:متاح|مخصص|حصري) (?:للمشتركين|للأعضاء)(?: فقط)?",
        r"(?:للمشتركين|للأعضاء) فقط",
        r"(?:هل أنت|أنت) مشترك(?: بالفعل)? ?[؟?]?",
        r"مشترك بالفعل",
        r"(?:لمتابعة|لمواصلة|لإكمال) القراءة",
        r"اشترك الآن",
        # pt, it
        r"assine para continuar lendo",
        r"abbonati per continuare a leggere",
    ),
    "bot check": (
        r"verify (?:that )?you(?: are|'re) (?:a )?human(?: by completing the action below)?",
        r"(?:are you|you are) (?:a )?(?:robot|human)\??",
        r"i(?:'m| am) not a robot",
        r"checking (?:if the site connection is secure|your browser(?: before accessing)?(?: [\w.-]+)?)",
        r"just a moment\.*",
        r"(?:please )?(?:complete|solve|pass) (?:the|this) (?:security check|captcha|challenge)(?: to (?:continue|access [\w.-]+))?",
        r"(?:re)?captcha",
        r"(?:ddos protection|performance (?:&|and) security) by [\w.-]+",
        r"ray id:? ?[\w-]*",
        r"press (?:and|&) hold(?: the button)?",
        r"unusual (?:traffic|activity) from (?:your|this) (?:computer|network|device|ip)(?: network)?",
        r"our systems have detected unusual traffic",
        r"needs to review the security of your connection(?: before proceeding)?",
        r"attention required!?",
        rf"enable (?:{_JS} and cookies|cookies) to continue",
        r"(?:please )?(?:wait|stand by) while we (?:verify|check)(?: your browser)?",
        r"security check",
        r"(?:help us )?(?:make sure|confirm) (?:you(?:'re| are)|that you are) (?:a human|not a (?:robot|bot))",
        r"bot (?:protection|detection|check)",
        r"one more step",
        r"(?:we believe|we think|we suspect) (?:that )?you are using automation tools(?: to browse the website)?",
        rf"make sure (?:that )?{_JS} and cookies are enabled(?: on your browser)?",
        r"this (?:may|might|can|could) take (?:a few|up to \d+) seconds",
        r"(?:ce processus|cette vérification|cela) (?:peut|pourrait) prendre quelques secondes",
        r"(?:dies|das) kann (?:einige|ein paar) sekunden dauern",
        r"(?:esto|este proceso) (?:puede|podría) tardar (?:unos|algunos) segundos",
        r"قد (?:يستغرق|تستغرق) (?:ذلك|العملية) بضع ثوان",
        r"why (?:am i seeing|do i have to complete) (?:this|a captcha)(?: page)?\??",
        # fr
        r"(?:vérifiez|vérifions|vérifier|confirmez) (?:que vous (?:êtes|n'êtes pas)) (?:un )?(?:humain|robot|être humain)",
        r"êtes-vous un (?:robot|humain) ?\??",
        r"je ne suis pas un robot",
        r"vérification (?:de sécurité|en cours|de votre navigateur|que vous (?:êtes|n'êtes pas) (?:un )?(?:humain|robot))",
        r"(?:un instant|veuillez patienter)[ .…]*",
        # de
        r"(?:bestätigen|bestätige|beweisen) sie,? dass sie (?:ein )?(?:mensch|kein roboter) sind",
        r"sind sie ein (?:roboter|mensch) ?\??",
        r"ich bin kein roboter",
        r"(?:sicherheitsüberprüfung|sicherheitsprüfung|browserüberprüfung)(?: läuft)?",
        r"überprüfung (?:ihres browsers|der verbindung)",
        r"einen moment,? bitte[ .…]*",
        r"(?:bitte )?warten sie,? während wir [\w ]{0,30}",
        # es
        r"(?:verifica|verifique|confirma|confirme|comprobemos|verificando) (?:que )?(?:eres|es|seas|sea) (?:un )?(?:humano|ser humano)",
        r"¿?(?:eres|es usted) un robot\??",
        r"no soy un robot",
        r"(?:comprobando|verificando) (?:tu|su) (?:navegador|conexión)",
        r"un momento,? por favor[ .…]*",
        r"verificación de seguridad",
        # ar
        r"(?:تحقق|التحقق|يرجى التحقق|أثبت) (?:من )?أنك (?:إنسان|لست روبوت|لست روبوتا)",
        r"(?:أنا )?لست (?:روبوت|روبوتا)",
        r"هل أنت (?:روبوت|إنسان) ?[؟?]?",
        r"(?:جار|جاري|جارٍ) التحقق من (?:متصفحك|اتصالك)",
        r"لحظة من فضلك",
        r"التحقق الأمني",
    ),
}

_UNSPACED_PHRASES: dict[str, tuple[str, ...]] = {
    "error page": (
        r"(?:抱歉[，,]?\s?)?(?:您(?:所)?(?:访问|请求|要找|查找)的)?(?:页面|网页)(?:不存在|已被删除|找不到)",
        r"(?:抱歉[，,]?\s?)?找不到(?:该|此|您要的)?(?:页面|网页)",
        r"(?:申し訳ございません[。、]?\s?)?(?:お探しの)?ページ(?:が|は)見つかりません(?:でした)?",
    ),
    "access denied": (r"拒绝访问", r"访问被拒绝", r"アクセスが拒否されました"),
    "JavaScript wall": (r"请启用\s?javascript", r"javascript\s?を有効に"),
}

_FILLER: tuple[str, ...] = (
    # en
    r"(?:please )?try again(?: later)?",
    r"(?:go|return|back|take me|get me) (?:back )?(?:to )?(?:the )?(?:home ?page|homepage|home|front page|previous page|main page|start page)",
    r"(?:home ?page|homepage)",
    r"(?:search|browse) (?:our|the) (?:site|website|archive)",
    r"(?:you (?:may|can) (?:also )?)?(?:try|use) (?:searching|the search(?: box| bar| engine)?|our search)",
    r"(?:vous pouvez )?utiliser (?:le moteur de recherche|la recherche|notre moteur de recherche)",
    r"(?:nutzen sie|verwenden sie) (?:die|unsere) suche(?:funktion)?",
    r"(?:utilice|utiliza|usa|use) (?:el|nuestro) buscador",
    r"(?:استخدم|يمكنك استخدام) (?:محرك البحث|البحث)",
    r"(?:please )?(?:contact|email) (?:us|support|the (?:site|website) (?:owner|administrator)|the webmaster|customer service)",
    r"(?:error|reference|request|incident|support|event) (?:code|id|number|#)[:#]? ?[\w.-]*",
    r"reference #?[\w.-]+",
    r"privacy (?:policy|notice|statement|settings)",
    r"terms (?:of (?:service|use)|and conditions)",
    r"cookie policy",
    r"help (?:center|centre)",
    r"learn more",
    r"(?:for )?(?:more|further) (?:information|info|details)",
    r"all rights reserved",
    r"©(?: ?\d{4})?",
    r"copyright(?: ?\d{4})?",
    r"(?:powered|hosted) by [\w.-]+",
    r"(?:on|from) this server",
    r"(?:apache|nginx|microsoft-iis|lighttpd|openresty)(?:/[\d.]+)?(?: \(\w+\))?(?: server at [\w.-]+ port \d+)?",
    r"(?:sign|log) (?:in|up|out)",
    r"(?:register|subscribe)",
    r"(?:accept|agree|ok(?:ay)?|got it|continue|close|dismiss|reject|decline|cancel|settings|options|more options)",
    r"(?:sorry|oops|whoops|uh oh|hmm)[!.,…]*",
    r"(?:we(?:'re| are)|i(?:'m| am)) (?:very )?sorry(?: for the inconvenience| about that)?",
    r"(?:we )?apologi[sz]e for (?:the|any) inconvenience",
    r"thank you for your (?:patience|understanding)",
    r"(?:imprint|impressum|ads info|accessibility|sitemap|faq)",
    r"if you (?:think|believe) this is (?:an|a) (?:error|mistake|bug)",
    r"report (?:a|this) (?:problem|issue)",
    # fr
    r"(?:retour|revenir|retourner) (?:à|a) (?:la page d'accueil|l'accueil|la page précédente)",
    r"page d'accueil",
    r"accueil",
    r"(?:veuillez )?réessayer(?: plus tard)?",
    r"(?:nous sommes )?désolée?s?",
    r"(?:nous contacter|contactez-nous)",
    r"mentions légales",
    r"politique de confidentialité",
    r"plus d'informations",
    r"en savoir plus",
    r"tous droits réservés",
    r"(?:se connecter|s'inscrire|connexion|déconnexion)",
    # de
    r"zurück zur (?:startseite|vorherigen seite|homepage)",
    r"startseite",
    r"(?:bitte )?(?:versuchen sie es )?(?:später )?erneut(?: versuchen)?",
    r"es tut uns leid",
    r"entschuldigung",
    r"(?:kontakt|kontaktieren sie uns)",
    r"datenschutz(?:erklärung)?",
    r"mehr (?:erfahren|informationen)",
    r"alle rechte vorbehalten",
    r"(?:anmelden|abmelden|registrieren)",
    # es
    r"(?:volver|regresar|ir) a (?:la página (?:de inicio|principal|anterior)|inicio|la portada)",
    r"página (?:de inicio|principal)",
    r"inicio",
    r"(?:por favor,? )?(?:inténtalo|inténtelo|vuelve a intentarlo|vuelva a intentarlo)(?: de nuevo| más tarde)?",
    r"lo sentimos",
    r"(?:contáctanos|contacto)",
    r"aviso legal",
    r"política de privacidad",
    r"más información",
    r"todos los derechos reservados",
    r"(?:iniciar sesión|registrarse|cerrar sesión)",
    # ar
    r"(?:العودة|الرجوع|عودة) (?:إلى )?(?:الصفحة الرئيسية|الرئيسية|الصفحة السابقة)",
    r"الصفحة الرئيسية",
    r"(?:يرجى )?(?:حاول|المحاولة) مرة (?:أخرى|ثانية)(?: لاحقا)?",
    r"(?:نعتذر|عذرا|معذرة)",
    r"اتصل بنا",
    r"سياسة الخصوصية",
    r"شروط (?:الاستخدام|الخدمة)",
    r"جميع الحقوق محفوظة",
    r"(?:مزيد من|لمزيد من) المعلومات",
    r"تسجيل (?:الدخول|الخروج)",
)

_VOCABULARY: dict[str, tuple[str, ...]] = {
    "*": (
        # en
        r"pages?|webpage|site|websites?|web|server|browsers?|request(?:ed)?|urls?|links?|address|resource|files?",
        r"document|error|found|find|exists?|available|unavailable|temporarily|removed|moved|deleted|renamed",
        r"broken|incorrect|mistyped|typed|spelling|followed|please|sorry|oops|try|again|later|back|home",
        r"homepage|search(?:ing)?|access(?:ing)?|denied|permission|forbidden|blocked|unauthori[sz]ed|accounts?",
        r"suspended|login|log|sign(?:ed)?|register(?:ed)?|subscribe|subscribers?|subscription|reading",
        r"continu(?:e|ing)|cookies|enabled?|disabled|javascript|human|robot|verify|verification|security",
        r"check(?:ing)?|connection|secure|proceed(?:ing)?|loading|load|domain|sale|parked|owner|hosting",
        r"provider|host|services?|maintenance|downtime|capacity|unable|problems?|forwarding|seconds|moment",
        r"wait|information|details|help|contact|support|automation|tools|brows(?:e|ing)|necessary|allow|show",
        r"password|email|forgot|already|refresh|reload|redirect(?:ed)?|expired|unexpected|condition",
        r"(?:mis)?configuration|administrator|webmaster|inconvenience|apologi[sz]e|technical|issues?",
        r"difficulties|shortly|soon|working|works|best|supported|version|update|upgrade|app|device|settings",
        r"preferences|options?|privacy|policy|terms|agree|consent|accept|reject|free|unlimited|digital|full",
        r"offer|members?|premium|exclusive|articles?|story|stories|limit|reached|month|week|year",
        # fr
        r"serveur|navigateur|adresse|lien|contenu|erreur|introuvable|trouvée?|existe|disponible|indisponible",
        r"supprimée?|déplacée?|changé|modifiée?|incorrecte|désolée?s?|oups|réessayer|retour|accueil",
        r"recherche(?:r)?|accès|autorisation|interdit|refusé|bloqué|compte|suspendu|connexion|connect(?:er|ez)",
        r"identifiant|mot|passe|abonnée?s?|abonnement|abonnez|lire|suite|lecture|activer|activez|activé",
        r"désactivé|humain|vérification|vérifier|sécurité|instant|patienter|secondes|domaine|vendre|vente",
        r"propriétaire|hébergeur|hébergement|informations|aide|contactez|nécessaires|paramètres|préférences",
        r"confidentialité|accepter|refuser|offre|gratuit|illimité|numérique|article",
        # de
        r"seite|webseite|inhalt|fehler|gefunden|existiert|verfügbar|erreichbar|gelöscht|entfernt|verschoben",
        r"geändert|falsch|entschuldigung|leid|erneut|später|zurück|startseite|suche(?:n)?|zugriff|berechtigung",
        r"verweigert|gesperrt|konto|anmelden|anmeldung|registrieren|passwort|abonnent(?:en)?|abonnement",
        r"abonnieren|weiterlesen|lesen|aktivieren|aktiviert|deaktiviert|mensch|roboter|überprüfung|sicherheit",
        r"verbindung|warten|sekunden|verkauf|kaufen|inhaber|anbieter|dienst|wartung|informationen|hilfe",
        r"kontakt|einstellungen|datenschutz|akzeptieren|ablehnen|einwilligung|zustimmung|besuchen|technologien",
        r"angebot|kostenlos|unbegrenzt|artikel|plus",
        # es
        r"página|sitio|servidor|navegador|dirección|enlace|contenido|encontrad[ao]|encontrar|disponible",
        r"eliminad[ao]|movida|cambiado|incorrect[ao]|sentimos|vaya|intentar|inténtalo|volver|inicio|buscar",
        r"búsqueda|acceso|permiso|denegado|bloqueado|cuenta|suspendida|sesión|iniciar|registrarse|contraseña",
        r"suscriptor(?:es)?|suscripción|suscríbete|leyendo|leer|activar|habilitar|desactivado|humano",
        r"verificar|verificación|seguridad|conexión|momento|espera|segundos|dominio|venta|vender|propietario",
        r"alojamiento|proveedor|servicio|mantenimiento|información|ayuda|contacto|configuración|privacidad",
        r"aceptar|rechazar|posible|oferta|gratis|ilimitado|artículo",
        # ar
        r"الصفحة|صفحة|الموقع|موقع|الخادم|المتصفح|متصفح|العنوان|عنوانها|الرابط|المحتوى|خطأ|العثور|موجودة",
        r"متاحة|متوفرة|حذف|حذفها|تغيير|نقل|عذرا|نعتذر|المحاولة|حاول|العودة|الرئيسية|البحث|الوصول|صلاحية",
        r"مرفوض|محظور|الحساب|حساب|معلق|تسجيل|الدخول|كلمة|المرور|مشترك|المشتركين|الاشتراك|اشترك|القراءة",
        r"الكوكيز|الارتباط|تفعيل|إنسان|روبوت|التحقق|الأمان|الاتصال|لحظة|الانتظار|ثوان|النطاق|للبيع|المالك",
        r"الاستضافة|الخدمة|الصيانة|المعلومات|المساعدة|اتصل|الإعدادات|الخصوصية|قبول|رفض|مجاني|المقال|طلبتها|تبحث",
    ),
    "cookie wall": (
        r"cookies?|data|services?|measure(?:ment)?|audience|engagement|quality|improve|develop|deliver|maintain",
        r"personali[sz](?:e|ed|ing|ation)|ads|advertising|content|partners?|vendors|third[- ]part(?:y|ies)|consent",
        r"privacy|device|information|store|access|process|personal|preferences|settings|choices?|experience",
        r"analytics|analy[sz]e|traffic|social|media|features|share|tracking|technologies|similar|purposes",
        r"accept|reject|manage|choose|withdraw|profiles?|use",
        r"données|partenaires|stocker|accéder|informations|appareil|personnaliser|publicités?|contenus?|mesure",
        r"consentement|confidentialité|préférences|traceurs|finalités|améliorer|expérience|navigation",
        r"daten|partner|inhalte|anzeigen|werbung|messung|zustimmung|einwilligung|datenschutz|einstellungen",
        r"personalisieren|verarbeiten|speichern|geräte?|informationen|zwecke|technologien|benötigen|website",
        r"datos|socios|contenidos?|anuncios|publicidad|medición|consentimiento|privacidad|preferencias",
        r"personalizar|mejorar|experiencia|servicios|navegación|dispositivo|información|terceros",
        r"بيانات|البيانات|شركاؤنا|الشركاء|المحتوى|الإعلانات|الخصوصية|تجربتك|تحسين|التصفح|الموافقة|جهازك",
    ),
}
"""Words wall pages explain themselves with ("The link you followed may be broken"; for a cookie
wall "We and our partners store data to personalise ads…"). A sentence made of them is no story, but
only the phrases above make a page a wall; a kind's words count only on a page where one of its
phrases is."""

_STOPWORD_LIST = """
    the a an and or but if of to in on at by for from with about as into over after before under then
    there here when where why how all any both each few more most other some such no nor not only own same
    so than too very can will just should now is are was were be been being have has had do does did
    i me my we our us you your he him his she her it its they them their what which who whom this that
    these those am would could may might must shall it's i'm you're we're they're that's there's can't
    cannot couldn't won't don't doesn't didn't isn't aren't wasn't weren't hasn't haven't also up out off
    le la les l un une des de du d et ou mais donc car ni à au aux en dans par pour sur avec sans sous ce
    cet cette ces c qui que qu dont où il elle ils elles on nous vous je j tu me m te t se s lui leur leurs
    y ne n pas est sont a ont été être son sa ses mon ma mes ton ta tes votre vos notre nos très peut
    peut-être tout tous toute toutes
    der die das den dem des ein eine einen einem einer eines und oder aber doch zu zum zur im am an auf
    aus bei mit nach von vor für über unter um durch ohne ist sind war waren wird werden wurde wurden sein
    hat haben hatte es er sie wir ihr ich du man sich nicht kein keine keinen noch nur auch schon dass
    wenn als wie so da hier dort ihre ihren ihrem ihrer ihnen unser unsere unserer unseren leider
    el los las lo unos unas y o pero del al por para con sin sobre entre es son está están fue ser ha
    han haber se su sus tu tus mi mis nuestro nuestra nuestros le les te nos sí muy más ya este esta esto
    estos estas ese esa eso haya sea
    في من إلى على عن مع أو و ثم أن إن هذا هذه ذلك تلك التي الذي الذين هو هي هم نحن أنت أنا كان كانت قد
    لا لم لن ما ليس كل بعض أي عند بعد قبل حتى ربما أو
"""
_STOPWORDS = frozenset(_STOPWORD_LIST.split())
"""Function words of the languages above: counted neither as a wall's words nor a story's."""

_TITLE_ONLY: dict[str, str] = {
    "error page": r"(?:error|oops!?|not found|server error|404|40[0135]|410|50[0234]|erreur|fehler|خطأ)",
    "access denied": r"(?:forbidden|403|unauthori[sz]ed)",
    "bot check": r"(?:one moment, please|please wait)\.*",
    "placeholder page": r"(?:index of /[\w./-]*|default page|test page)",
    "parked domain": r"(?:[\w-]+\.)+[a-z]{2,}(?: is for sale!?)?",
}
"""Whole titles (one part of them) that say a page is no article, though their words alone would be
too common to count inside a body ("Error", "Forbidden", a bare domain name)."""

_KIND_ORDER = tuple(_PHRASES)


def _compile_bounded(patterns: Iterable[str]) -> re.Pattern[str]:
    alternatives = "|".join(f"(?:{_fold_pattern(p)})" for p in patterns)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _fold_pattern(pattern: str) -> str:
    """A phrase folded as the text will be (Arabic letters and marks, apostrophes; no lower-casing,
    which would change escapes)."""
    return _ARABIC_MARKS.sub("", pattern.translate(_APOSTROPHES)).translate(_ARABIC_LETTERS)


_STOCK: dict[str, list[re.Pattern[str]]] = {
    kind: [_compile_bounded(phrases)]
    + ([re.compile("|".join(_UNSPACED_PHRASES[kind]))] if kind in _UNSPACED_PHRASES else [])
    for kind, phrases in _PHRASES.items()
}
_FILLER_RE = _compile_bounded(_FILLER)
_UNSPACED_FILLER_RE = re.compile(r"返回首页|返回主页|トップページ(?:に|へ)戻る|ホーム(?:に|へ)戻る")
_VOCABULARY_RE = {kind: _compile_bounded(words) for kind, words in _VOCABULARY.items()}
_FOLDED_STOPWORDS = frozenset(_fold(w) for w in _STOPWORDS)
_TOKEN = re.compile(r"\S+")
_WORD = re.compile(r"\w+(?:'\w+)?")
_ADDRESS = re.compile(r"\w[./\\@_]\w|^[/\\]|[/\\]$")
_TITLE_ONLY_RE = {kind: re.compile(rf"(?:{_fold_pattern(p)})[!.…]*") for kind, p in _TITLE_ONLY.items()}
_UNIT_SPLIT = re.compile(r"(?<=[.!?؟。！？…])\s+|\s+[|·•]\s+|\s*\n\s*|(?<=[。！？])")
_SENTENCE_END = re.compile(r"[.!?؟。！？…:;]['\")\]»”]*$")
_TITLE_SPLIT = re.compile(r"\s+[|–—·:-]\s+|\s+::\s+|\s+-\s+")
_URL_KINDS: dict[str, str] = {
    "404": "error page",
    "404.html": "error page",
    "404.php": "error page",
    "error": "error page",
    "errors": "error page",
    "error.html": "error page",
    "not-found": "error page",
    "notfound": "error page",
    "page-not-found": "error page",
    "pagenotfound": "error page",
    "suspendedpage.cgi": "account suspended",
    "captcha": "bot check",
    "lander": "parked domain",
}
"""URL path segments that servers redirect error, suspended and parked pages to."""


# -- one page -------------------------------------------------------------------------------
def not_an_article(title: str, body: str, url: str | None = None) -> str | None:
    """Why this page is no article ("error page", "cookie wall", "login/paywall" …), or None.

    Judged over the title and the whole body: the body must be short and its sentences stock
    phrases, a wall's explanations or menu scraps; a story that quotes "page not found" or "we use
    cookies" has more words of its own than the quote and stays an article.
    """
    size = word_size(body)
    if size > MAX_WALL_WORDS:
        return None
    hinted = _title_kind(title) or _url_kind(url)
    if hinted is None and not _phrase_kinds(_fold(body)):
        return None  # most pages: no stock phrase anywhere, nothing to weigh
    units = _units(body)
    evidenced = {k for unit in units for k in _phrase_kinds(_fold(unit))} | {hinted}
    stock: dict[str, int] = {}
    story = 0
    for unit in units:
        kind, role = _judge_unit(unit, evidenced)
        words = word_size(unit)
        if kind is not None:
            stock[kind] = stock.get(kind, 0) + words
        elif role == "story" and not _is_scrap(unit, words):
            story += words
    stock_words = sum(stock.values())
    if hinted is not None:
        stock_words += 2  # a title or an error URL speaks for the page as a short stock line would
    if not stock and (hinted is None or size > TITLE_ONLY_WORDS):
        return None
    if story > max(STORY_WORDS, STORY_SHARE * size) or story >= stock_words:
        return None
    if not stock:
        return hinted
    return max(stock, key=lambda k: (stock[k], -_KIND_ORDER.index(k)))


def _units(body: str) -> list[str]:
    """The body's lines and sentences, menu items split at their separators."""
    return [u for u in (part.strip() for part in _UNIT_SPLIT.split(body)) if u]


def _phrase_kinds(text: str) -> set[str]:
    return {kind for kind, patterns in _STOCK.items() if any(p.search(text) for p in patterns)}


def _judge_unit(unit: str, evidenced: set[str | None] | None = None) -> tuple[str | None, str]:
    """(the stock kind the unit is, or None; its role: "stock", "explanation" or "story").

    Stock: a kind's phrases (with filler and wall words) cover at least STOCK_SHARE of the unit's
    letters, function words, numbers and addresses left out. Explanation: no phrase, but wall words
    cover EXPLANATION_SHARE of it (only the evidenced kinds' own words count).
    """
    text = _fold(unit)
    ignored = [False] * len(text)
    for token in _TOKEN.finditer(text):
        if _ADDRESS.search(token.group()):
            ignored[token.start() : token.end()] = [True] * (token.end() - token.start())
    for word in _WORD.finditer(text):
        if word.group() in _FOLDED_STOPWORDS or word.group().isdigit():
            ignored[word.start() : word.end()] = [True] * (word.end() - word.start())
    counted = [not skip and not c.isspace() and c.isalnum() for c, skip in zip(text, ignored, strict=True)]
    letters = sum(counted)
    if not letters:
        return None, "explanation"
    covered = [False] * len(text)

    def cover(match: re.Match[str]) -> int:
        covered[match.start() : match.end()] = [True] * (match.end() - match.start())
        return sum(counted[match.start() : match.end()])

    by_kind: dict[str, int] = {}
    for kind, patterns in _STOCK.items():
        for pattern in patterns:
            for match in pattern.finditer(text):
                by_kind[kind] = by_kind.get(kind, 0) + cover(match)
    for kind in ("*", *by_kind, *(evidenced or ())):
        if kind in _VOCABULARY_RE:
            for match in _VOCABULARY_RE[kind].finditer(text):
                cover(match)
    for match in (*_FILLER_RE.finditer(text), *_UNSPACED_FILLER_RE.finditer(text)):
        cover(match)
    share = sum(1 for c, hit in zip(counted, covered, strict=True) if c and hit) / letters
    if by_kind and share >= STOCK_SHARE:
        return max(by_kind, key=lambda k: (by_kind[k], -_KIND_ORDER.index(k))), "stock"
    if share >= EXPLANATION_SHARE:
        return None, "explanation"
    return None, "story"


def _is_scrap(unit: str, words: int) -> bool:
    """A button, menu item or code line: a few words that end no sentence."""
    return words <= SCRAP_WORDS and not _SENTENCE_END.search(unit)


def _title_kind(title: str) -> str | None:
    """The stock kind a part of the title is made of ("Page not found | Harbour Times")."""
    for part in _TITLE_SPLIT.split(title):
        folded = _fold(part)
        if not folded:
            continue
        whole = next((k for k, pattern in _TITLE_ONLY_RE.items() if pattern.fullmatch(folded)), None)
        found = whole or _judge_unit(part)[0]
        if found is not None:
            return found
    return None


def _url_kind(url: str | None) -> str | None:
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    if "://" in path:
        path = path.split("://", 1)[1].partition("/")[2]
    for segment in path.lower().split("/"):
        if segment in _URL_KINDS:
            return _URL_KINDS[segment]
    return None


# -- one text on many pages -----------------------------------------------------------------
@dataclass(slots=True, frozen=True)
class PageKey:
    """One capture of a text as the recurrence rule sees it."""

    site: str
    url_key: str | None
    """The URL as versions are matched on (``dedup.url_key``); None: no URL."""
    title: str


def recurring_reason(size: int, pages: Iterable[PageKey]) -> str | None:
    """Why one text of ``size`` words (``word_size``) is no article, judged on all its captures:
    short, and on RECURRING_PAGES or more URL keys of one site under RECURRING_TITLES or more
    titles (a soft-404 or wall text); None when it may be a story (one story re-posted under a few
    URLs keeps its title, and a syndicated brief is on other sites).

    Depends only on the set of captures, never on their order.
    """
    if size >= RECURRING_MAX_WORDS:
        return None
    urls: dict[str, set[str]] = {}
    titles: dict[str, set[str]] = {}
    for page in pages:
        if page.url_key:
            urls.setdefault(page.site, set()).add(page.url_key)
        title = " ".join(page.title.casefold().split())
        if title:
            titles.setdefault(page.site, set()).add(title)
    found = [
        (len(keys), site)
        for site, keys in urls.items()
        if len(keys) >= RECURRING_PAGES and len(titles.get(site, ())) >= RECURRING_TITLES
    ]
    if not found:
        return None
    pages_n, site = min(found, key=lambda f: (-f[0], f[1]))
    return f"same text on {pages_n} unrelated pages of {site}"
