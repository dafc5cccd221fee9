"""English language pack (data only)."""

from __future__ import annotations

from bot.analysis.lang.base import Cue, LanguagePack, Shape, words
from bot.core.models import Stance


def _c(shape: Shape, stance: Stance, forms: str, needs_that: bool = False) -> list[Cue]:
    """Cues from a '|'-separated list of verb forms or phrases."""
    return [Cue(p.strip(), shape, stance, needs_that) for p in forms.split("|") if p.strip()]


# Speech and report verbs: "X said (that) C", "C, X said", "C, said X".
_SPEECH = (
    "say|says|said|saying|tell|tells|told|telling|add|adds|added|adding|note|notes|noted|noting|"
    "reports|reported|announce|announces|announced|announcing|argue|argues|"
    "argued|arguing|suggest|suggests|suggested|suggesting|explain|explains|explained|explaining|"
    "declare|declares|declared|declaring|insist|insists|insisted|insisting|warn|warns|warned|"
    "warning|acknowledge|acknowledges|acknowledged|acknowledging|admit|admits|admitted|admitting|"
    "assert|asserts|asserted|asserting|stated|stating|stress|stresses|stressed|"
    "stressing|predict|predicts|predicted|predicting|promise|promises|promised|promising|pledge|"
    "pledges|pledged|pledging|vow|vows|vowed|vowing|concede|concedes|conceded|conceding|contend|"
    "contends|contended|maintain|maintains|maintained|recall|recalls|recalled|recalling|reply|"
    "replies|replied|replying|respond|responds|responded|tweet|tweets|tweeted|tweeting|write|"
    "writes|wrote|writing|claim|claims|claimed|claiming|confirm|confirms|confirmed|confirming|"
    "reveal|reveals|revealed|revealing|indicate|indicates|indicated|indicating|estimate|"
    "estimates|estimated|conclude|concludes|concluded|concluding|continued|"
    "recount|recounts|recounted|remarked|observe|observes|observed|"
    "emphasize|emphasizes|emphasized|emphasizing|reiterate|reiterates|reiterated|"
    "assure|assures|assured|reminded|joked|quipped|boasted|boasts|bragged|mused|wondered|"
    "speculated|predicted|testified|testifies|posted|emailed|texted|"
    "has said|have said|had said|also said|went on to say|has argued|has claimed|"
    "was quoted as saying|were quoted as saying|is quoted as saying|was heard saying|"
    "said in a statement|made clear|made it clear|pointed out|points out|pointing out|"
    "learned|has learned|first reported|agreed|agrees|ask|asks|asked|asking"
)
# Belief / intention / evidence verbs: only "X believes C" (content after the cue).
_FORWARD = (
    "believe|believes|believed|think|thinks|thought|hope|hopes|hoped|hoping|fear|fears|feared|"
    "want|wants|wanted|plan|plans|planned|expect|expects|expected|worry|worries|worried|"
    "call for|calls for|called for|calling for|call on|calls on|called on|urge|urges|urged|"
    "urging|propose|proposes|proposed|proposing|support|supports|supported|supporting|oppose|"
    "opposes|opposed|opposing|endorse|endorses|endorsed|seek|seeks|sought|seeking|prefer|"
    "prefers|preferred|demand|demands|demanded|demanding|favor|favors|favored|"
    "intends|intend|intended|doubt|doubts|doubted|"
    "questioned|questions|questioning|defended|defends|defending|praised|praises|praising|"
    "described|describes|describing|called|calls|calling|dismissed|dismisses|mocked|"
    "would like|vowing|refused|refuses|refuse|praise|praised|praising|defend|hailed|hails|"
    "backed|backs|backing|welcomed|welcomes|thanked|thanks|applauded|credited|credits|"
    "ridiculed|expressed|voiced|touted|touts|lauded|championed|embraced|embraces|"
    "recommended|recommends|advocated|advocates|pushed for|pushing for|promoted|cited as"
)
_WEAK = "show|shows|showed|showing|found|finds|find|know|knows|knew|see|sees|saw|feel|feels|felt"
_DENY = "deny|denies|denied|denying|reject|rejects|rejected|rejecting|refute|refutes|refuted|dispute|disputes|disputed|disputing"  # noqa: E501
_ACCUSE = (
    "accuse|accuses|accused|accusing|blame|blames|blamed|blaming|allege|alleges|alleged|"
    "alleging|charged|criticize|criticizes|criticized|criticizing|criticise|"
    "criticised|condemn|condemns|condemned|condemning|attacked|attacking|"
    "slams|slammed|slamming|blasted|denounce|denounces|denounced|denouncing|"
    "decry|decries|decried|complain|complains|complained|complaining"
)

CUES: tuple[Cue, ...] = tuple(
    _c(Shape.VERB, "asserts", _SPEECH)
    + _c(Shape.FORWARD, "asserts", _FORWARD)
    + _c(Shape.FORWARD, "asserts", _WEAK, needs_that=True)
    + _c(Shape.VERB, "denies", _DENY)
    + _c(Shape.VERB, "accuses", _ACCUSE)
    + _c(Shape.ACCORDING, "asserts", "according to|as reported by|in the words of")
    + _c(Shape.CITING, "asserts", "citing|quoting|cited|cites|cite|quoted|which quoted")
    + _c(
        Shape.NOCONTENT,
        "declines_comment",
        "declined to comment|declines to comment|declining to comment|refused to comment|"
        "did not respond to a request for comment|did not respond to requests for comment|"
        "did not immediately respond to a request for comment|"
        "did not return a request for comment|would not comment|could not be reached for comment|"
        "declined to elaborate|declined to say|would not say",
    )
    + _c(
        Shape.NOCONTENT,
        "declines_comment",
        "did not respond to|did not immediately respond to|has not responded to|"
        "have not responded to|had not responded to|did not reply to|did not return|"
        "did not immediately return|could not be reached|could not immediately be reached|"
        "was not available for comment|were not available for comment|"
        "was not immediately available for comment|were not immediately available for comment|"
        "declined to be interviewed|declined interview requests|declined to respond",
    )
    # passive/raising hedges: "is widely expected to", "is said to be" attribute nothing to
    # the subject; they only keep their cue words ("expected", "said") from matching
    + _c(
        Shape.HEDGE,
        "asserts",
        "expected to|said to be|said to have|believed to be|believed to have|thought to be|"
        "thought to have|reported to be|reported to have|rumored to|rumoured to|"
        "asked for|asks for|ask for|asking for|asked not to|asking not to|asked that his|"
        "asked that her|asked that their|asked that its|"
        "alleged to have|alleged to be|estimated to|claimed to be|feared to be|feared to have",
    )
    + _c(
        Shape.NOCONTENT,
        "unverified",
        "could not independently verify|could not verify|was unable to verify|"
        "has not been able to verify|could not immediately verify|cannot independently verify|"
        "has not independently verified|could not independently confirm",
    )
)

PACK = LanguagePack(
    code="en",
    name="English",
    stopwords=words(
        "the|of|and|to|in|is|that|for|it|was|on|with|as|he|she|his|her|they|at|by|this|"
        "be|from|are|have|has|had|not|but|an|or|were|which|said|will|would|their|who|"
        "been|its|about"
    ),
    cues=CUES,
    complementizers=frozenset({"that"}),
    addressee_markers=frozenset(),
    addressee_verbs=words("told|tell|tells|telling|assured|assures|reminded|warned|urged|asked"),
    abbreviations=words(
        "mr.|mrs.|ms.|dr.|prof.|sen.|rep.|gov.|gen.|lt.|col.|maj.|capt.|sgt.|adm.|"
        "st.|jr.|sr.|inc.|corp.|co.|ltd.|u.s.|u.k.|u.n.|e.u.|d.c.|jan.|feb.|mar.|"
        "apr.|jun.|jul.|aug.|sep.|sept.|oct.|nov.|dec.|no.|vs.|v.|etc.|e.g.|i.e.|"
        "a.m.|p.m.|ft.|mt.|rev.|pres.|gov't|calif.|fla.|ky.|ga.|ala.|ariz.|ark.|"
        "colo.|conn.|del.|ill.|ind.|kan.|la.|md.|mass.|mich.|minn.|miss.|mo.|mont.|"
        "neb.|nev.|n.h.|n.j.|n.m.|n.y.|n.c.|n.d.|okla.|ore.|pa.|r.i.|s.c.|s.d.|"
        "tenn.|tex.|vt.|va.|wash.|wis.|wyo."
    ),
    titles=words(
        "sen|rep|gov|gen|lt|col|maj|capt|sgt|adm|mr|mrs|ms|dr|rev|prof|councillor|"
        "councilor|councilman|councilwoman|alderman|chair|chairperson|inspector|"
        "superintendent|commissioner|officer|detective|sergeant|coach|manager|bishop|"
        "archbishop|father|sister|dame|sir|lord|baroness|premier|chancellor|deputy|"
        "assistant|president|vice|sen.|senator|rep.|representative|gov.|governor|mayor|"
        "secretary|minister|prime|gen.|general|lt.|col.|colonel|maj.|major|capt.|captain|"
        "adm.|admiral|sgt.|dr.|prof.|professor|mr.|mrs.|ms.|judge|justice|chairman|"
        "chairwoman|chief|director|spokesman|spokeswoman|spokesperson|ambassador|former|"
        "candidate|nominee|democratic|republican|gop|democrat|rev.|reverend|pope|king|"
        "queen|prince|sheriff|attorney|speaker|leader|commissioner|reporter|correspondent|"
        "state|u.s.|house|senate|presidential|lady|first"
    ),
    role_words=words(
        "chair|inspector|officer|secretary|owner|coach|captain|player|resident|"
        "shopkeeper|teacher|doctor|nurse|engineer|worker|farmer|mayor|councillor|"
        "governor|minister|commissioner|board|a|an|the|former|chief|head|director|"
        "spokesman|spokeswoman|spokesperson|professor|executive|president|chairman|"
        "chairwoman|secretary|senior|member|official|adviser|advisor|aide|analyst|"
        "expert|lawyer|attorney|leader|founder|author|editor|economist|researcher|"
        "deputy|vice|ceo|manager|strategist|pollster|partner|fellow|co-founder|who|"
        "lawmaker|legislator|mp|activist|campaigner|negotiator|prosecutor|investigator|"
        "commander|envoy|diplomat|candidate|president-elect|vice-president|head"
    ),
    person_pronouns=frozenset({"he", "she", "i"}),
    plural_pronouns=frozenset({"they", "we"}),
    clitic_pronoun=None,
    outlet_anaphors=(
        "the newspaper",
        "the paper",
        "the outlet",
        "the network",
        "the magazine",
        "the agency",
        "the news agency",
        "the site",
        "the website",
        "the broadcaster",
        "the report",
        "the daily",
        "the tabloid",
    ),
    source_anaphors=(
        "the source",
        "the sources",
        "that source",
        "those sources",
        "the official",
        "the officials",
        "the person",
        "the people",
    ),
    outlet_words=words(
        "courier|ledger|standard|star|record|register|dispatch|bulletin|monitor|"
        "express|mail|sentinel|advocate|newspaper|paper|journal|times|post|news|"
        "reuters|bloomberg|cnn|bbc|afp|ap|guardian|telegraph|tribune|herald|gazette|"
        "politico|axios|msnbc|fox|nbc|abc|cbs|npr|wsj|nyt|breitbart|hill|examiner|"
        "observer|economist|daily|magazine|wire|press|associated|newsweek|slate|vox|"
        "buzzfeed|atlantic|huffington|huffpost|yahoo|salon|mother|jones|review|globe|"
        "chronicle|inquirer|sun|mirror|independent|intercept|beast"
    ),
    org_words=words(
        "department|ministry|agency|committee|commission|council|party|university|bank|"
        "company|corp.|inc.|institute|foundation|association|union|campaign|office|"
        "administration|government|congress|senate|house|court|fbi|cia|pentagon|police|"
        "white|service|center|centre|group|coalition|organization|board|bureau|network|"
        "league|fund|nato|who|un|army|navy|military|republicans|democrats|poll|polls|"
        "survey|surveys|study|studies|report|reports|results|data|research|analysis|"
        "memo|letter|statement|ad|ads|documents|records|findings|figures|numbers|"
        "estimates|county|city|street|avenue|island|river|airport|hall|square|park|"
        "stadium|school|hospital|corp|corporation|co|motor|motors|inc|ltd|llc|plc|co.|"
        "pt|tbk|gmbh|holdings|industries|enterprises|minerals|mining|resources|airlines|"
        "airways|motors|logistics|technologies|pharmaceuticals|petroleum|telecom|"
        "communications|insurance|ventures|partners|capital|shipping|utilities|"
        "authority|directorate|secretariat|firm|cooperative|co-op|alliance|federation|"
        "society|institution|emails|email|e-mails|messages|files|minutes|memos|letters|"
        "filings|filing|transcripts|transcript|audit|dossier|records|air|networks|mobile|"
        "chamber|club|guild|trust|water|energy|systems|solutions|media|labs|pharma|foods|"
        "brands|stores|markets|studios|broadcasting|airline|railways|railway"
    ),
    group_words=words(
        "officials|analysts|experts|critics|supporters|voters|residents|lawmakers|"
        "republicans|democrats|conservatives|liberals|aides|advisers|advisors|people|"
        "economists|scientists|researchers|leaders|members|activists|opponents|"
        "observers|democrats,|polls|surveys|many|some|several|others|most|both"
    ),
    anonymous_words=words(
        "source|sources|people|familiar|person|official|officials|insider|"
        "insiders|anonymity|someone"
    ),
    determiners=words("the|a|an|its|their|his|her|our"),
    fillers=words(
        "also|has|have|had|later|then|previously|repeatedly|reportedly|publicly|privately|"
        "recently|once|again|further|still|even|just|already|never|not|often|frequently|"
        "initially|originally|first|last|specifically|explicitly|openly|flatly|strongly|"
        "has|long|long|is|are|was|were|will|would|could|may|might|must|did|does|do|"
        "himself|herself|themselves"
    ),
    clause_breakers=words(
        "and|but|because|when|while|if|although|though|since|after|before|as|so|"
        "than|that|which|whether|where|said|says"
    ),
    tail_words=words(
        "on|in|at|to|during|after|before|last|this|monday|tuesday|wednesday|thursday|"
        "friday|saturday|sunday|morning|afternoon|evening|night|week|month|year|"
        "statement|interview|reporters|email|emailed|phone|telephone|told|us|yesterday|"
        "today|earlier|later|recently|new|press|conference|speech|rally|briefing|of|"
        "via|through|while|when"
    ),
    participle_markers=frozenset({"while", "by", "after", "before"}),
    participle_suffix="ing",
    adverbial_openers=words(
        "in|on|at|during|after|before|meanwhile|however|but|and|still|yet|when|"
        "while|since|asked|speaking|as|for|with|last|earlier|later|instead|also|"
        "though|although|even|because|if|since|unlike|like|despite"
    ),
    relatives=frozenset({"who", "which", "that", "whom", "whose"}),
    report_nouns=words(
        "report|reports|article|story|analysis|investigation|reporting|piece|editorial"
    ),
    definite_markers=frozenset({"the", "this", "that"}),
    verb_pattern=r"^(?:is|are|was|were|be|been|being|has|have|had|will|would|can|could|should|may|might|must|did|does|do|than)$",  # noqa: E501
    not_sources=words("plan|schedule|plans|tradition|legend|law"),
    org_anaphor_heads=words(
        "company|firm|group|organization|organisation|agency|ministry|department|operator|council"
    ),
    company_heads=words(
        "company|firm|operator|airline|carrier|bank|insurer|retailer|lender|manufacturer|"
        "automaker|carmaker|chain|startup|utility|developer|supplier|conglomerate|group"
    ),
    public_bodies=words(
        "office|department|ministry|agency|council|authority|court|commission|committee|"
        "government|administration|police|parliament|senate|congress|regulator|regulatory|"
        "prosecutor|prosecutors|bureau|directorate|secretariat|army|navy|military|county|"
        "city|state|federal|municipality|service|inspectorate|tribunal"
    ),
    company_words=words(
        "air|airlines|airways|networks|mobile|logistics|bank|group|holdings|energy|water|"
        "motors|foods|pharma|pharmaceuticals|labs|media|systems|solutions|technologies|"
        "industries|enterprises|capital|partners|ventures|insurance|telecom|shipping|"
        "minerals|mining|resources|petroleum|corporation|company|brands|stores|railways"
    ),
    company_affixes=words("inc|inc.|ltd|ltd.|llc|plc|corp|corp.|co.|gmbh|ag|sa|nv|bv|pty"),
    partitives=("one of", "some of", "two of", "several of", "many of"),
    prepositions=words(
        "at|in|on|to|by|with|from|after|before|during|since|about|over|into|through|"
        "against|under|as|than|like|without|within|across|among|upon|toward|towards"
    ),
    headline_labels=words(
        "note|update|updated|photo|photos|video|watch|read|related|editor’s|"
        "editor's|exclusive|breaking|live|opinion|analysis|correction|source|"
        "sources"
    ),
    glue_words=frozenset({"familiar", "close", "briefed", "knowledgeable", "involved"}),
    time_words=words(
        "monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|"
        "march|april|june|july|august|september|october|november|december|jan|feb|aug|"
        "sept|oct|nov|dec|morning|afternoon|evening|night|week|weekend|month|year|"
        "yesterday|today|tonight|overnight|earlier|later|recently|days|weeks|months|"
        "years|ago"
    ),
    time_names=words(
        "monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|"
        "march|april|june|july|august|september|october|november|december|jan|feb|aug|"
        "sept|oct|nov|dec"
    ),
    time_modifiers=words(
        "last|this|next|early|late|earlier|later|on|the|same|previous|following|past"
    ),
    time_preps=words("on|in|at|during|over|since|from"),
    passive_auxiliaries=words("was|were|been|being|be|is|are|am|get|gets|got|getting"),
    person_noun_pattern=(
        r"^(?:[a-z-]+(?:er|or|ist|ian|ant|ent|ee|man|men|woman|women)s?|[a-z-]+s|those|one|"
        r"anyone|someone|everyone|others|many|some|few|all|both)$"
    ),
    core_cues=words("said|says|say|told|tells|tell|added|adds|according to|wrote|writes"),
    time_adverbs=words("yesterday|today|tonight|overnight|earlier|later|recently"),
    aside_openers=words("when|whenever|after|while|once|if|as|before"),
    adverb_suffix="ly",
    portfolio_words=words(
        "finance|energy|foreign|interior|defence|defense|health|education|"
        "transport|transportation|justice|trade|agriculture|environment|labour|"
        "labor|economy|economic|home|treasury|mines|fisheries|tourism|culture|"
        "police|army|navy|opposition|government|party|federal|regional|provincial|"
        "city|county|national|district|team|club|company|union|campaign|elect|"
        "acting|interim|incoming|outgoing|junior|shadow|press|public|affairs|"
        "communications|security|intelligence"
    ),
    claim_nouns=words(
        "allegation|allegations|accusation|accusations|claim|claims|charge|charges|"
        "report|reports|reporting|rumour|rumours|rumor|rumors|story|suggestion|"
        "suggestions|criticism|wrongdoing|irregularity|irregularities|it|this|that|"
        "them|any|all"
    ),
    agent_markers=frozenset({"by"}),
    author_participles=words(
        "released|issued|published|written|prepared|commissioned|compiled|"
        "signed|sent|filed|posted|produced|conducted|drafted|authored"
    ),
    honorifics=words("mr|mrs|ms|miss|mx|sir|dame|mr.|mrs.|ms.|dr|dr.|prof|prof."),
    place_preps=frozenset({"in", "at"}),
    coordinators=frozenset({"but", "and", "yet", "so", "or"}),
    anonymity_markers=words("anonymity|anonymously|named|identified|unnamed|anonymous"),
    plural_suffix="s",
    document_nouns=words(
        "documents|document|records|emails|email|e-mails|messages|files|minutes|memos|memo|"
        "letters|letter|filings|filing|transcripts|transcript|statement|data|figures|"
        "findings|dossier|audit|report|reports|poll|polls|survey|surveys|study|studies"
    ),
    study_nouns=words("poll|polls|survey|surveys|study|studies|census"),
    participle_pattern=r"^(?:seen|obtained|reviewed|viewed|read|shown|given|leaked|released|"
    r"published|cited|quoted|interviewed|contacted|surveyed|polled|compiled|gathered|"
    r"analy[sz]ed|examined|filed|sent|written|prepared|commissioned|[a-z]+ed)$",
    nonfinal_words=words(
        "the|a|an|of|for|and|or|but|to|in|on|at|by|with|from|as|that|this|these|"
        "those|its|their|his|her|our|your|my|some|most|all|many|several|each|both|"
        "any|every|no|other|another|such|more|less|which|who|whom|whose|would|"
        "could|should|will|can|may|might|must|is|are|was|were|be|been|being|has|"
        "have|had|do|does|did|not"
    ),
)
