#include "accounting/insights/language_profiles.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <iterator>

namespace gw::accounting::insights {
namespace {

// Per profile (in the order of kProfileCodes): its frequent words, mostly function words and the
// verbs and question words prompts are made of, lowercase and separated by spaces; and its
// typical word endings. A word several profiles list counts for each of them, divided among
// them by the detector. An elided article keeps its apostrophe ("l'", "dell'"), as do English
// negations and Turkish names before their case ending ("don'", "python'da" is "python'" and
// "da"), because the detector ends a word after an apostrophe that a letter follows.
struct ProfileSource {
  std::string_view words;
  std::string_view endings;
};

constexpr ProfileSource kSources[kProfileCount] = {
    // en
    {"the of and to a in is it that for on with as was are be this by not or from at have an but "
     "can you your what which how why when where who whom do does did will would should could i me "
     "my we our they their them there he she his her these those if then than so about into over "
     "after before more most some any no yes all also just only very please explain write tell "
     "give make show help create summarize translate describe difference between use using need "
     "want know best way like get has had been were being its am us here don' doesn' isn' i' it' "
     "what' let' can' won' didn' you' that' there' aren' wasn' couldn' wouldn' shouldn' we' they' "
     "one two three each other same such many much well because while until up out again following "
     "below above example something anything everything nothing someone anyone people thing things "
     "time first new good sure work works working data list text email letter story short long "
     "little great small big old right next last own part place case point number life world year "
     "years day days week month today tomorrow now never always often sometimes still even back "
     "down off through during without within against around across both few less least several "
     "every another really quite rather pretty almost already yet though although however "
     "therefore instead since unless whether either neither nor might must shall may cannot better "
     "tips idea ideas answer question questions problem doing done said say says think see look "
     "find keep let put take try trying tried wrong fix keeps ways kind sort bit lot lots",
     "ing ings tion tions ly ness ould ight ough ed ful less ity ies"},
    // es
    {"el la los las de del que y en un una unos unas es son por para con no se lo le les me mi "
     "mis te tu tus su sus al como más pero este esta estos estas ese esa eso esto qué cómo cuál "
     "cuáles cuándo dónde quién porque muy también ya hay ser estar está están era fue puedo "
     "puedes puede podría podrías hacer hace tengo tiene tienen quiero necesito dame dime explica "
     "explícame escribe escríbeme haz hazme ayúdame sobre entre sin hasta desde cuando donde todo "
     "todos toda todas otro otra otros mejor forma manera algo algún alguna algunos algunas sí ni "
     "u yo tú él ella nosotros ellos usted ustedes nos hola gracias favor bien año años día días "
     "vez veces cada cosa ahora aquí ejemplo paso pasos debo debería sea tanto mucho muchos poco "
     "según cual pueden quería después antes tiempo caso parte lugar mundo vida gente persona "
     "personas cosas trabajo texto correo carta historia corto largo pequeño grande nuevo viejo "
     "bueno buena malo primera primero último siguiente hoy mañana nunca siempre todavía aún "
     "incluso además aunque sino mientras durante contra bajo hacia tras ellas nuestro nuestra "
     "quiere quieres debe deben tener tenemos tenía había habría sería será fueron estoy estás "
     "estamos estaba podemos sé sabes saber decir dice creo cree ver veo dar da va vamos ir voy "
     "hecho mismo misma así entonces luego peor menos tan corrige cuánto cuánta cuántos cuántas "
     "ayuda ayudar necesitas tienes vale pena cualquier nada nadie alguien mío tuyo suyo dale oye "
     "mira",
     "ción ciones mente ado ada ados adas ido ida idos idas dad dades iendo ando ía ías aba aban "
     "ería amos emos imos ísimo izar ños ñas"},
    // fr
    {"le la les de des du un une et est en que qui ne pas pour dans sur avec par au aux ce cette "
     "ces se sa son ses mon ma mes ton ta tes notre nos votre vos leur leurs il elle ils elles je "
     "tu nous vous on y a ont sont être avoir fait faire plus mais ou où comme quand comment "
     "pourquoi quel quelle quels quelles quoi très aussi bien tout tous toute toutes autre même "
     "peut peux pouvez puis dois doit faut veux voudrais entre sans sous chez depuis alors donc si "
     "oui non merci bonjour c' l' d' j' n' qu' m' s' t' jusqu' lorsqu' puisqu' écris rédige "
     "explique donne moi toi lui cela ça ceci voici voilà avant après encore déjà jamais toujours "
     "chaque fois ans jour jours exemple façon manière mieux meilleur meilleure quelque quelques "
     "rien chose choses là ici été était sera serait propose traduis corrige aide temps cas partie "
     "lieu monde vie gens personne personnes travail texte lettre histoire court courte long "
     "longue petit petite grand grande nouveau nouvelle vieux bon bonne mauvais premier première "
     "dernier prochain aujourd demain pendant contre vers veut veulent doivent avons avais avait "
     "étaient suis es sommes êtes sais sait savoir dire dit crois voir vois donner va allons aller "
     "vais ainsi ensuite pire moins tant autant beaucoup peu trop assez combien pourrais pourriez "
     "aimerais besoin ai as avez fais faites dis dites aidez expliquez pouvons",
     "tion tions ment ments eux euse aient ait ez eau eaux ère ée ées és oir ique iques ons ais "
     "eur eurs elle"},
    // de
    {"der die das den dem des ein eine einen einem einer eines und ist nicht zu im mit von vom "
     "für auf aus bei beim am als auch es sie er ich du wir ihr mir mich dir dich uns euch sich "
     "mein meine meinen meinem meiner dein deine sein seine ihre unser wie was wer wo warum wieso "
     "weshalb welche welcher welches wann woher wohin dass daß ob wenn weil aber oder doch noch "
     "schon nur sehr mehr viel viele kann kannst können könnte könntest muss musst müssen soll "
     "sollte will willst wollen habe hast hat haben bin bist sind war waren wird werden wurde "
     "würde gibt geben gib mache machen schreib schreibe erkläre erklär erklären bitte danke hallo "
     "ja nein kein keine keinen einfach gut besser beste zum zur über unter nach vor zwischen "
     "durch ohne gegen seit bis diese dieser diesen dieses diesem jetzt hier dort dann denn man "
     "etwas alles alle immer wieder beispiel zeige erstelle fasse zusammen übersetze hilf helfen "
     "mal gerne eigentlich damit zeit art fall teil ort welt leben leute person personen sachen "
     "arbeit text brief geschichte kurz kurze kurzen lang klein kleine groß große neu neue alt "
     "alte gute schlecht erste ersten letzte nächste heute morgen nie niemals sogar außerdem "
     "obwohl während hinter neben unsere euer eure möchte möchten darf dürfen sollen hatte hätte "
     "wäre wären sei gewesen weiß wissen sagen sagt glaube sehen sehe gehen gehe gemacht gleich "
     "also danach davor weniger genug ganz einige einigen manche jede jeder jedes dabei dafür "
     "darauf darüber davon dazu deshalb trotzdem bekomme bekommt brauche brauchst gibt's geht "
     "funktioniert richtig falsch ihnen ihm ihn",
     "ung ungen keit heit lich lichen isch ische chen cht tz ern ieren iert sch"},
    // pt
    {"o a os as de do da dos das que e em no na nos nas um uma uns umas é são por para com não se "
     "ao aos à às como mais mas meu minha meus minhas seu sua seus suas este esta isso isto esse "
     "essa qual quais quando onde quem porque muito também já há ser estar está estão era foi "
     "posso pode podes poderia fazer faz tenho tem têm quero preciso me te lhe eu você vocês ele "
     "ela nós eles elas sobre entre sem até desde todo todos toda todas outro outra melhor forma "
     "maneira algo algum alguma alguns algumas sim ou olá obrigado obrigada favor bem ano anos dia "
     "dias vez vezes cada coisa agora aqui exemplo passo passos devo deveria seja tanto pouco "
     "segundo escreva escreve explique explica ajude ajuda diga dê mostre crie faça pelo pela "
     "pelos pelas num numa nesse nessa neste nesta desse dessa deste desta lá então ainda tempo "
     "caso parte lugar mundo vida gente pessoa pessoas coisas trabalho texto carta história curto "
     "longo pequeno grande novo velho bom boa mau primeira primeiro último próximo hoje amanhã "
     "nunca sempre mesmo além embora enquanto durante contra sob nosso nossa quer querem deve "
     "devem ter temos tinha havia seria será foram estou estamos estava podem podemos sei sabe "
     "saber dizer diz acho ver vejo dar vai vamos ir vou feito mesma assim depois antes pior menos "
     "tão quanto quanta quantos quantas leva pra pro né tá corrige consigo ajudar queria gostaria "
     "dá fica ficar",
     "ção ções ões ão ãos dade dades agem mente inho inha ado ada ados adas ando endo indo ível "
     "veis"},
    // it
    {"il lo la i gli le di del della dei delle dello degli da dal dalla dai in nel nella nei "
     "nelle con su sul sulla per tra fra un uno una che e è non si come ma più anche già se sono "
     "sei siamo ho hai ha abbiamo hanno essere avere fare faccio fai questo questa questi queste "
     "quello quella cosa perché quando dove chi quale quali molto poco tutto tutti tutte altro "
     "altra meglio modo qualche qualcosa sì o oppure io tu lui lei noi voi loro mi ti ci vi mio "
     "mia tuo tua suo sua nostro ciao grazie prego bene anno anni giorno giorni volta ogni adesso "
     "ora qui esempio posso puoi può potrei vorrei devo dovrei scrivi scrivimi spiega spiegami "
     "dimmi dammi aiutami fammi crea traduci riassumi elenca mostra secondo sempre ancora dopo "
     "prima senza sopra sotto allora quindi però l' un' dell' all' nell' dall' sull' c' d' quest' "
     "com' dov' cos' sto sta stai tempo caso parte posto mondo vita gente persona persone cose "
     "lavoro testo lettera storia breve lungo piccolo grande nuovo vecchio buono buona cattivo "
     "primo ultimo prossimo oggi domani mai inoltre mentre durante contro verso nostra vuole "
     "vogliono deve devono aveva sarebbe sarà era erano stiamo stava possono possiamo so sai "
     "sapere dire dice credo vedere vedo dare va andiamo andare vado fatto stesso stessa così poi "
     "peggio meno tanto quanto quanta quanti costa serve vuoi",
     "zione zioni mente ità are ere ire etto etta ello ella ggi cchi gli tto lli ato ata ati ono "
     "iamo ando endo ebbe anno"},
    // nl
    {"de het een en van in is dat die op te met voor zijn niet aan er om ook als maar of bij nog "
     "wel naar uit kan kun kunnen moet moeten wil wilt willen heb hebt heeft hebben ben bent was "
     "waren wordt worden werd zou zouden ik je jij u we wij ze zij hij mij mijn jouw jullie ons "
     "onze hun hem haar wat wie waar waarom hoe welke wanneer dit deze dus toch heel veel meer "
     "geen niets iets alles alle altijd nu hier daar dan omdat zodat door over onder tussen zonder "
     "tegen tot sinds bijvoorbeeld graag alsjeblieft alstublieft bedankt dank hallo ja nee goed "
     "beter beste schrijf geef leg maak vat samen vertaal help hoeveel zo gaan gaat doen doe krijg "
     "krijgt mogelijk eigen even maken tijd manier geval deel plaats wereld leven mensen persoon "
     "personen dingen werk tekst brief verhaal kort korte lang lange klein kleine groot grote "
     "nieuw nieuwe oud oude goede slecht eerste laatste volgende vandaag morgen nooit zelfs "
     "bovendien hoewel terwijl tijdens achter naast mag mogen zullen zal had hadden geweest weet "
     "weten zeggen zegt denk zien zie geven ga gedaan zelfde daarna daarvoor slechter minder "
     "genoeg sommige elke ieder iedere daarbij daarop daarover daarvan daarom mee hoelang zorg "
     "ervoor waarmee welk",
     "heid lijk lijke ij tje tjes aar oor eer ijk ing ingen"},
    // pl
    {"i w we z ze na do nie się to jest są jak co czy że o od po dla przez przy za pod nad bez "
     "ale lub albo a też już tylko bardzo może można mogę możesz trzeba jestem jesteś być był była "
     "było mam masz ma mają mieć ten ta te tego tej tym tych jego jej ich mój moja moje mnie mi ci "
     "ty on ona my wy oni który która które którego jaki jaka jakie dlaczego kiedy gdzie ile "
     "proszę dziękuję cześć tak dobrze lepiej najlepszy napisz wyjaśnij wytłumacz powiedz podaj "
     "daj pomóż stwórz zrób przetłumacz streść opisz między więc jeśli żeby aby bo gdy jeszcze "
     "wszystko wszystkie coś nic czym jakiś warto robić zrobić czas sposób przypadek część miejsce "
     "świat życie ludzie osoba osoby rzeczy praca tekst list historia krótki krótka długi mały "
     "mała duży duża nowy nowa stary dobry dobra zły pierwszy ostatni następny dzisiaj dziś jutro "
     "nigdy zawsze nawet ponadto chociaż podczas przeciw nasz nasza chcę chce chcesz musi musisz "
     "powinien powinienem miał miała byłoby będzie byli wiem wiesz wiedzieć mówić mówi myślę "
     "widzieć widzę iść idę sam potem później gorzej mniej dość dużo kilka każdy każda dlatego "
     "jednak czyli kosztuje",
     "ość ać ić ego emu ych ów ami cie ię ią nie ować uje ają ymi ach"},
    // tr
    {"bir ve bu da de için ile ne mi mı mu mü ben sen o biz siz onlar bana sana ona beni seni "
     "nasıl neden niye nerede hangi kaç çok daha en gibi kadar ama fakat veya ya değil var yok "
     "olarak olan olur oldu olduğu şu şey her hiç sonra önce şimdi burada lütfen teşekkür "
     "teşekkürler merhaba evet hayır iyi yaz açıkla anlat ver göster yap oluştur çevir özetle "
     "yardım nedir midir mısın misin musun müsün edebilir istiyorum gerekiyor göre arasındaki fark "
     "lar ler ları leri ın in ını ini nın nin dır dir dan den ye ta te tan ten zaman yapmak şekil "
     "durum yer dünya hayat insanlar kişi şeyler iş metin mektup hikaye kısa uzun küçük büyük yeni "
     "eski kötü ilk son bugün yarın asla hala bile ayrıca rağmen sırasında karşı bizim sizin "
     "istiyor gerek lazım olmalı olabilir olmak vardı olacak biliyorum bilmek söylemek düşünüyorum "
     "görmek vermek gitmek aynı böyle şöyle az yeterli bazı bunu şunu onu bunun ki neler nelerdir "
     "hangisi",
     "lar ler ları leri lerin ların dır dir ını ini ında inde mak mek yor ıyor iyor ım im sın sin "
     "miş mış meli malı abilir ebilir ğı ği"},
    // vi
    {"của và là có không được những một này cho với các người trong để đã sẽ đang thì mà cũng như "
     "khi từ đến tôi bạn mình anh chị em họ chúng ta nó gì sao nào đâu bao nhiêu thế làm hãy giúp "
     "viết giải thích cách tại vì nếu nhưng hoặc rất hơn nhất nhiều ít tất cả đó đây vậy vào ra "
     "lên lại còn chỉ về theo sau trước hay nên cần muốn biết ở rồi nữa lắm quá cùng mỗi đều vẫn "
     "phải thể thấy nói hỏi trả lời ông bà ạ nhé nha à ơi ngày năm tháng giờ lần cái con việc nhà",
     ""},
    // id
    {"yang dan di ke dari ini itu untuk dengan tidak ada adalah saya kamu anda kami kita mereka "
     "dia akan sudah belum bisa dapat harus juga atau tetapi tapi karena jika kalau apa bagaimana "
     "mengapa kenapa kapan mana siapa berapa lebih paling sangat banyak sedikit semua setiap "
     "sebuah seperti oleh pada dalam antara tentang tolong buatkan buat jelaskan tuliskan tulis "
     "berikan sebutkan terima kasih halo ya bukan baik cara agar supaya masih sedang lagi sekarang "
     "hari tahun orang bagi sampai saja hanya mau aku membuat waktu kasus bagian tempat dunia "
     "hidup barang kerja teks surat cerita pendek panjang kecil besar baru lama buruk pertama "
     "terakhir berikutnya besok pernah selalu bahkan selain meskipun selama terhadap bawah ingin "
     "perlu punya tahu bilang pikir melihat lihat memberi pergi sama begitu lalu kemudian sebelum "
     "sesudah setelah kurang cukup beberapa tiap apakah dong sih nih deh gimana gak nggak enggak "
     "biaya menjadi yg",
     "nya kan kah lah"},
    // sv
    {"och i att det som en ett är på för med av till den de inte om har jag du vi ni han hon man "
     "kan ska skulle vill måste får hur vad varför när var vilka vilken vilket mig dig oss er sig "
     "min mitt mina din ditt sin sitt deras här där nu då så men eller också bara mycket mer mest "
     "alla allt inget ingen något någon från efter före mellan utan under över kunna göra gör "
     "skriv förklara ge ger visa hjälp tack hej ja nej bra bättre bästa eftersom finns blir vara "
     "varit hade sina detta dessa denna fast tid sätt fall del plats värld liv människor person "
     "personer saker arbete text brev berättelse kort långt lång liten litet stor stort ny nytt "
     "gammal god gott dålig första sista nästa idag imorgon aldrig alltid fortfarande även "
     "dessutom medan mot bakom bredvid vår vårt våra ert era ville bör borde vore vet veta säga "
     "säger tror se ser gå går gjort samma sedan efteråt innan sämre mindre tillräckligt hela "
     "många några varje sådan sådana därför ändå kostar ungefär",
     "ning ningen het heten arna erna orna tt ade liga igt era"},
    // cs
    {"a je se v ve na to že s z ze do k o od po pro při za jak co proč kdy kde kdo který která "
     "které jaký jaká jaké kolik není jsou byl byla bylo být mám máš má mají mít jsem jsi jsme "
     "jste můžu mohu můžeš může můžete musím musí chci chceš bych by ale nebo i také jen už ještě "
     "velmi více moc všechno všechny něco nic tento tato toto tohle ten ta tady teď potom protože "
     "aby když pokud mi mě mne ti tě tobě mu jí nám vám jim můj moje tvůj jeho její jejich prosím "
     "děkuji ahoj ano ne dobře lépe nejlepší napiš vysvětli řekni dej ukaž pomoz vytvoř přelož "
     "shrň mezi bez před nad pod dělat udělat čas způsob případ část místo svět život lidé osoba "
     "osoby věci práce text dopis příběh krátký krátká dlouhý malý malá velký velká nový nová "
     "starý dobrý dobrá špatný první poslední další dnes zítra nikdy vždy dokonce navíc ačkoli "
     "zatímco během proti vedle náš naše váš vaše chce měl měla měli bude vím víš vědět říct říká "
     "myslím vidět vidím dát jít jdu stejný stejně pak předtím hůř méně dost celý mnoho několik "
     "každý každá takový proto přesto tenhle tahle oprav stojí",
     "ost ní ého ých ách ovat ují ími ový ová ové ému ět"},
    // ro
    {"și în la de pe cu a al ai ale un o unui unei este sunt nu se să că ce care cum când unde "
     "cine cât câte mai foarte sau dar pentru din prin despre după până fără între eu tu el ea noi "
     "voi ei ele mă îmi mi te îți ți îl ne vă le meu mea tău ta său sa nostru acest această acesta "
     "aceasta acești aceste acel acea asta aici acum atunci pot poți poate putea am are avem au fi "
     "fost va vreau vrei trebuie bine bun cel cea cei cele mult puțin tot toate totul ceva nimic "
     "scrie explică spune dă arată ajută creează tradu rezumă rog mulțumesc salut da dacă fiindcă "
     "deoarece face timp mod caz parte loc lume viață oameni persoană persoane lucruri muncă text "
     "scrisoare poveste scurt scurtă lung lungă mic mică mare nou nouă vechi bună rău primul prima "
     "ultimul următorul azi astăzi mâine niciodată mereu încă chiar deși timpul împotriva sub "
     "lângă noastră vrea ar avea avut era erau sunteți suntem știu știi zice cred vedea văd merge "
     "merg făcut același aceeași apoi înainte destul întreg mulți multe câțiva fiecare astfel "
     "aceea totuși costă",
     "ul ului ție ția ții lor ește ăm ează ări ilor elor"},
    // da
    {"og i at det som en et er på for med af til den de ikke om har jeg du vi han hun man kan "
     "skal skulle vil må får hvordan hvad hvorfor hvornår hvor hvilke hvilken hvilket mig dig os "
     "jer sig min mit mine din dit sin sit deres her der nu da så men eller også bare meget mere "
     "mest alle alt intet ingen noget nogen fra efter før mellem uden under over kunne gøre gør "
     "skriv forklar giv vis hjælp tak hej ja nej god godt bedre bedste fordi findes bliver være "
     "været havde disse denne dette hvis når nogle tid måde tilfælde del sted verden liv mennesker "
     "person personer ting arbejde tekst brev historie kort lang lille store stor ny nyt gammel "
     "dårlig første sidste næste aldrig altid stadig endda desuden selvom mens mod ved vores jeres "
     "ville bør burde var vide sige siger tror se ser give gå går gjort samme siden bagefter "
     "dårligere mindre nok hele mange hver sådan sådanne derfor alligevel tager koster",
     "hed heden else ning ene erne lig lige tte ede ere"},
    // fi
    {"ja on ei se että tämä mikä mitä miten miksi kuinka missä milloin kuka onko voi voiko voitko "
     "voisitko olla ole olen olet olemme ovat oli minä sinä hän me te he minun sinun minulle "
     "sinulle meidän kanssa mutta tai kun jos niin myös vain hyvin paljon enemmän kaikki jotain "
     "mitään ennen jälkeen nyt täällä siellä kirjoita selitä anna kerro näytä tee auta kiitos hei "
     "kyllä hyvä parempi paras koska jotta joka jossa sen siitä sitä tätä tämän niitä pitää täytyy "
     "haluan voin tehdä aika tapa tapaus osa paikka maailma elämä ihmiset henkilö asiat työ teksti "
     "kirje tarina lyhyt pitkä pieni iso suuri uusi vanha huono ensimmäinen viimeinen seuraava "
     "tänään huomenna koskaan aina vielä jopa lisäksi vaikka aikana vastaan alla takana vieressä "
     "teidän haluat haluaa pitäisi olisi ollut tiedän tietää sanoa sanoo luulen nähdä näen antaa "
     "mennä menen tehty sama sitten huonompi vähemmän tarpeeksi koko monta monet jotkut jokainen "
     "sellainen siksi silti minua sinua häntä meitä teitä heitä tästä mistä mihin korjaa paljonko",
     "ssa ssä sta stä lla llä lle ksi nen isen sti aan ään ita itä iin ten inen ista istä"},
    // hu
    {"a az egy és is nem hogy van volt lesz meg már még csak de vagy mert ha mint mi mit mik ki "
     "kit hol hová mikor miért hogyan hány melyik milyen mennyi ez ezt azt ezek azok én te ő ti ők "
     "nekem neked nekünk engem téged velem vele lehet kell tudom tudod tudsz szeretnék kérlek "
     "köszönöm szia igen jó jobb legjobb írj írd magyarázd el mondd add mutasd segíts készíts "
     "foglald össze fordítsd le sok kevés minden semmi valami között után előtt nélkül alatt "
     "felett itt ott most akkor pedig érdemes idő mód eset rész hely világ élet emberek személy "
     "dolgok munka szöveg levél történet rövid hosszú kicsi kis nagy új régi rossz első utolsó "
     "következő ma holnap soha mindig ráadásul bár amíg ellen mögött mellett akar akarok akarsz "
     "kellene lenne vagyok vagyunk tudni mondani mond gondolom látni látom adni menni megyek "
     "csinált ugyanaz aztán rosszabb kevesebb elég egész néhány mindegyik ilyen olyan ezért mégis "
     "szintén mennyibe kerül",
     "ban ben nak nek ból ből hoz hez val vel ról ről ság ség ás és ünk unk ját jét"},
    // ru
    {"и в не на что как это с по для я мне можно ли из у же чтобы который которая которые если "
     "или но так есть быть нужно пожалуйста почему какой какая какие где когда все всё его она они "
     "мы вы он от до при без также только уже еще ещё сделать напиши объясни расскажи помоги дай "
     "покажи переведи сколько меня тебя себя мой моя мои свой этот эта эти тот чем очень более "
     "лучше был была было были будет надо хочу могу может можешь этого здесь сейчас потом вот даже "
     "о об про за над под перед между через после кто зачем этом этой этих та те то там тут теперь "
     "всегда никогда тоже много мало больше меньше хуже нельзя хочешь хочет должен должна буду нет "
     "да ты оно её нас вас их тебе ему ей нам вам им твой наш ваш делать написать сказать помочь "
     "знать понять думаю время работа текст письмо день год раз человек люди вопрос ответ пример "
     "способ вариант спасибо привет здравствуйте бы ну которое потому поэтому хотя а к исправь "
     "стоит",
     "ть ться ого его ому ему ой ых ые ая ый ое ее ов ами ями ах ях ешь ет ут ют ение ание ость "
     "ство"},
    // uk
    {"і й та в у не на що як це з із зі до для мені можна чи який яка яке які якщо або але так є "
     "бути потрібно будь ласка чому де коли все його вона вони ми ви він від при без також тільки "
     "вже ще зробити напиши поясни розкажи допоможи дай покажи переклади скільки мене тебе себе "
     "мій моя мої свій цей ця ці той ніж дуже більш краще був була було були буде треба хочу можу "
     "може можеш цього тут зараз потім ось навіть про за над під перед між через після хто навіщо "
     "цьому цієї тих ті те там тепер завжди ніколи теж лише багато мало більше менше гірше хочеш "
     "хоче повинен буду немає я ти воно її нас вас їх тобі йому їй нам вам їм твій наш ваш робити "
     "написати сказати допомогти знати зрозуміти думаю час робота текст лист день рік раз людина "
     "люди питання відповідь приклад спосіб варіант дякую привіт вітаю б же ну щоб тому хоча а "
     "виправ варто",
     "ти тися ння ється ого ому ій ої ими ами ях ів ує ують ість ство"},
    // bg
    {"и в не на че как това с по за аз ми мога може ли от да се който която които ако или но така "
     "е са съм си сме сте бъде трябва моля защо какъв каква какво какви къде кога всичко всички тя "
     "те ние вие той към при без също само вече още направи напиши обясни разкажи помогни дай "
     "покажи преведи колко мен теб себе моят моята моите този тази тези онзи много повече по-добре "
     "беше бяха ще тук сега после ето дори със над под пред между през след отколкото кой там "
     "винаги никога малко искам искаш иска можеш има няма ти то него нея нас вас тях му ни ви им "
     "мой твой наш ваш свой направя правя напиша кажа помогна знам разбера мисля време работа "
     "текст писмо ден година път човек хора въпрос отговор пример начин вариант благодаря здравей "
     "здравейте би нали което защото затова въпреки а поправи струва",
     "ът ят та то те ите ата ото ето ия ване ене ение ание ост ство ния ски ска ско"},
    // sr
    {"и у на је да се за од са не што како који која које шта зашто где када ли мени ми ти он она "
     "ви они бити сам си смо сте су био била било могу можеш може треба хоћу желим молим хвала "
     "здраво добро боље најбољи напиши објасни реци дај покажи помози направи преведи овај ова ово "
     "тај та то све нешто ништа ако јер али или још само врло много између без пре после колико о "
     "над под кроз него ко ови овом ове том тамо овде сада увек никад већ такође чак веома мало "
     "више мање хоћеш хоће мора ће били има нема ја оно мене тебе њега њу нас вас њих теби њему "
     "њој нама вама њима мој твој наш ваш свој себе направити радити написати рећи помоћи знати "
     "разумети мислим време посао текст писмо дан година пут човек људи питање одговор пример "
     "начин би ево зато иако а к код из по до при исправи вреди",
     "ти ћи ње ња ију ају ост ство ских ског ском"},
    // mk
    {"и во на е да се за од со не што како кој која кое зошто каде кога ли мене ми ти тој таа ние "
     "вие тие сум си сме сте беше можам може треба сакам ве молам благодарам здраво добро подобро "
     "најдобар напиши објасни кажи дај покажи помогни направи преведи овој оваа ова тоа сè нешто "
     "ништо ако но или уште само многу меѓу без пред по над под низ отколку каков колку овие таму "
     "тука сега секогаш никогаш веќе исто дури малку повеќе помалку сакаш сака можеш ќе биде има "
     "нема јас него неа нас вас нив му ни ви им мој твој наш ваш свој себе прави знам разбирам "
     "мислам време работа текст писмо ден година пат човек луѓе прашање одговор пример начин би "
     "ете кои затоа иако а кон кај до при",
     "ње ост ство ата ите от"},
    // be
    {"і ў у на не што як гэта з па для я мне можна ці які якая якія калі або але так ёсць быць "
     "трэба ласка чаму дзе ўсе усе яго яна яны мы вы ён ад пры без таксама толькі ўжо яшчэ зрабіць "
     "напішы растлумач дапамажы колькі мяне цябе сябе мой мая гэты гэтая вельмі пра за над пад "
     "перад паміж праз пасля чым хто навошта гэтыя там тут цяпер заўсёды ніколі нават шмат мала "
     "больш менш лепш хачу хочаш хоча магу можаш можа павінен будзе быў была былі няма ты яно яе "
     "нас вас іх табе яму ёй нам вам ім твой наш ваш свой рабіць напісаць сказаць дапамагчы ведаць "
     "разумець думаю час праца тэкст ліст дзень год раз чалавек людзі пытанне адказ прыклад спосаб "
     "дзякуй прывітанне б жа вось якое каб таму хоць а й да",
     "ць цца ння ага яга ую ыя ая аў"},
};

// Letters that only some profiles use, and which. A letter listed twice counts for all its lists.
struct LetterSource {
  std::string_view letters;
  std::string_view profiles;
};

constexpr LetterSource kLetterSources[] = {
    {"ñ", "es"},
    {"ß", "de"},
    {"ãõ", "pt vi"},
    {"ç", "fr pt tr"},
    {"łąęśźżćń", "pl"},
    {"ğı", "tr"},
    {"ş", "tr ro"},
    {"țșţ", "ro"},
    {"ă", "ro vi"},
    {"â", "fr pt ro tr vi"},
    {"î", "fr ro"},
    {"řěůďťň", "cs"},
    {"čšž", "cs"},
    {"ý", "cs vi"},
    {"őű", "hu"},
    {"æø", "da"},
    {"å", "sv da"},
    {"ä", "de sv fi"},
    {"ö", "de sv fi hu tr"},
    {"ü", "de hu tr"},
    {"œÿû", "fr"},
    {"ëï", "fr nl"},
    {"êô", "fr pt vi"},
    {"èù", "fr it vi"},
    {"à", "fr it pt vi"},
    {"ìò", "it vi"},
    {"é", "fr es pt it hu cs vi"},
    {"á", "es pt hu cs vi"},
    {"íóú", "es pt hu cs vi"},
    {"ó", "pl"},
    {"đơư", "vi"},
    {"і", "uk be"},
    {"їєґ", "uk"},
    {"ў", "be"},
    {"ыэё", "ru be"},
    {"ъ", "ru bg"},
    {"щ", "ru uk bg"},
    {"яюйь", "ru uk bg be"},
    {"јљњџ", "sr mk"},
    {"ђћ", "sr"},
    {"ѓќѕ", "mk"},
};

// The 32-bit FNV-1a hash of `bytes` taken from the last byte to the first, so that the detector
// hashes a word's endings on the way to hashing the whole word; then a finalizer that separates
// whole words from endings.
constexpr uint32_t kFnvBasis = 2166136261u;
constexpr uint32_t HashStep(uint32_t hash, unsigned char byte) { return (hash ^ byte) * 16777619u; }
constexpr uint32_t Finish(uint32_t hash, bool ending) {
  hash ^= ending ? 0x9E3779B9u : 0u;
  hash ^= hash >> 16;
  hash *= 0x85EBCA6Bu;
  hash ^= hash >> 13;
  hash *= 0xC2B2AE35u;
  return hash ^ (hash >> 16);
}

// Decodes one well-formed UTF-8 sequence of the tables above; `*length` gets its byte count.
constexpr char32_t DecodeTableLetter(std::string_view text, size_t* length) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  if (byte(0) < 0x80) return *length = 1, byte(0);
  if (byte(0) < 0xE0) return *length = 2, ((byte(0) & 0x1Fu) << 6) | (byte(1) & 0x3Fu);
  *length = 3;
  return ((byte(0) & 0x0Fu) << 12) | ((byte(1) & 0x3Fu) << 6) | (byte(2) & 0x3Fu);
}

// Calls `visit` with each space-separated item of `list`.
template <typename Visit>
constexpr void ForEachItem(std::string_view list, Visit visit) {
  size_t start = 0;
  while (start < list.size()) {
    size_t end = list.find(' ', start);
    if (end == std::string_view::npos) end = list.size();
    if (end > start) visit(list.substr(start, end - start));
    start = end + 1;
  }
}

constexpr ProfileMask MaskOfCodes(std::string_view codes) {
  ProfileMask mask = 0;
  ForEachItem(codes, [&](std::string_view code) {
    for (int i = 0; i < kProfileCount; ++i) {
      if (kProfileCodes[i] == code) mask |= ProfileMask{1} << i;
    }
  });
  return mask;
}

// An open-addressing hash table of the words and endings, linear probing; a slot whose mask is
// 0 is empty. About 4,000 keys in 16,384 slots: most misses end at the first slot. In front of
// it, a filter of one bit per hash value's top 16 bits (8 KiB, stays in the L1 cache) turns away
// most of the misses, which most lookups of endings are, without touching the table.
constexpr size_t kTableSize = 16384;
constexpr int kFilterBits = 16;
constexpr size_t kMaxWordBytes = 32;

struct Slot {
  uint32_t hash = 0;
  ProfileMask mask = 0;
};

// Where a slot's key lies in kSources, packed: the profile, whether it is an ending, and the
// key's offset and length in that profile's list.
struct KeyRef {
  static constexpr uint32_t Pack(int profile, bool ending, size_t offset, size_t length) {
    return static_cast<uint32_t>(profile) << 23 | uint32_t{ending} << 22 |
           static_cast<uint32_t>(length) << 16 | static_cast<uint32_t>(offset);
  }
  static constexpr std::string_view Key(uint32_t ref) {
    const ProfileSource& source = kSources[ref >> 23];
    const std::string_view list = (ref >> 22 & 1) != 0 ? source.endings : source.words;
    return list.substr(ref & 0xFFFF, ref >> 16 & 0x3F);
  }
  static constexpr bool Ending(uint32_t ref) { return (ref >> 22 & 1) != 0; }
};

struct Table {
  std::array<uint64_t, (size_t{1} << kFilterBits) / 64> filter{};
  std::array<Slot, kTableSize> slots{};
  std::array<uint32_t, kTableSize> keys{};  // KeyRef; read only when the hashes match
};

constexpr uint32_t HashKey(std::string_view key, bool ending) {
  uint32_t hash = kFnvBasis;
  for (size_t i = key.size(); i > 0; --i) {
    hash = HashStep(hash, static_cast<unsigned char>(key[i - 1]));
  }
  return Finish(hash, ending);
}

constexpr void Insert(Table& table, int profile, bool ending, std::string_view list,
                      std::string_view key) {
  const uint32_t hash = HashKey(key, ending);
  const ProfileMask mask = ProfileMask{1} << profile;
  const uint32_t filter_bit = hash >> (32 - kFilterBits);
  table.filter[filter_bit / 64] |= uint64_t{1} << (filter_bit & 63);
  for (size_t i = hash % kTableSize;; i = (i + 1) % kTableSize) {
    Slot& slot = table.slots[i];
    if (slot.mask == 0) {
      slot = {hash, mask};
      table.keys[i] = KeyRef::Pack(profile, ending, key.data() - list.data(), key.size());
      return;
    }
    if (slot.hash == hash && KeyRef::Ending(table.keys[i]) == ending &&
        KeyRef::Key(table.keys[i]) == key) {
      slot.mask |= mask;
      return;
    }
  }
}

constexpr Table BuildTable() {
  Table table;
  for (int profile = 0; profile < kProfileCount; ++profile) {
    for (const bool ending : {false, true}) {
      const std::string_view list = ending ? kSources[profile].endings : kSources[profile].words;
      ForEachItem(list, [&](std::string_view key) {
        // Evaluated at compile time: a key the KeyRef packing cannot hold fails the build.
        if (key.size() > kMaxWordBytes || list.size() > 0xFFFF) throw "key out of range";
        Insert(table, profile, ending, list, key);
      });
    }
  }
  return table;
}

constexpr Table kTable = BuildTable();

ProfileMask Find(std::string_view key, uint32_t hash, bool ending) {
  const uint32_t filter_bit = hash >> (32 - kFilterBits);
  if ((kTable.filter[filter_bit / 64] >> (filter_bit & 63) & 1) == 0) return 0;
  for (size_t i = hash % kTableSize;; i = (i + 1) % kTableSize) {
    const Slot& slot = kTable.slots[i];
    if (slot.mask == 0) return 0;
    if (slot.hash == hash && KeyRef::Ending(kTable.keys[i]) == ending &&
        KeyRef::Key(kTable.keys[i]) == key) {
      return slot.mask;
    }
  }
}

// Distinctive letters by code point: Latin-1 and Latin Extended-A, then basic Cyrillic.
constexpr char32_t kLatinBase = 0xC0;
constexpr char32_t kCyrillicBase = 0x430;

struct LetterTables {
  std::array<ProfileMask, 0x180 - kLatinBase> latin{};
  std::array<ProfileMask, 0x460 - kCyrillicBase> cyrillic{};
  ProfileMask latin_b[4] = {};  // ơ ư ș ț
  ProfileMask ghe_upturn = 0;   // ґ
};

constexpr ProfileMask* LetterSlot(LetterTables& tables, char32_t c) {
  if (c >= kLatinBase && c < 0x180) return &tables.latin[c - kLatinBase];
  if (c >= kCyrillicBase && c < 0x460) return &tables.cyrillic[c - kCyrillicBase];
  if (c == 0x1A1) return &tables.latin_b[0];
  if (c == 0x1B0) return &tables.latin_b[1];
  if (c == 0x219) return &tables.latin_b[2];
  if (c == 0x21B) return &tables.latin_b[3];
  return &tables.ghe_upturn;  // ґ, the only other letter the sources list
}

constexpr LetterTables BuildLetterTables() {
  LetterTables tables;
  for (const LetterSource& source : kLetterSources) {
    const ProfileMask mask = MaskOfCodes(source.profiles);
    for (size_t i = 0, length = 0; i < source.letters.size(); i += length) {
      *LetterSlot(tables, DecodeTableLetter(source.letters.substr(i), &length)) |= mask;
    }
  }
  return tables;
}

constexpr LetterTables kLetters = BuildLetterTables();
constexpr ProfileMask kVietnamese = MaskOfCodes("vi");

using enum Script;

struct ScriptRange {
  char32_t first;
  char32_t last;
  Script script;
};

// The letters (and combining marks) of the scripts above outside ASCII and the Indic block,
// sorted; digits and punctuation inside a script's block are left out.
constexpr ScriptRange kScriptRanges[] = {
    {0x00C0, 0x00D6, kLatin},    {0x00D8, 0x00F6, kLatin},    {0x00F8, 0x024F, kLatin},
    {0x0300, 0x036F, kMark},     {0x0370, 0x0373, kGreek},    {0x0376, 0x037D, kGreek},
    {0x037F, 0x0386, kGreek},    {0x0388, 0x03FF, kGreek},    {0x0400, 0x0481, kCyrillic},
    {0x0483, 0x0489, kMark},     {0x048A, 0x052F, kCyrillic}, {0x0531, 0x0556, kArmenian},
    {0x0560, 0x0588, kArmenian}, {0x0591, 0x05C7, kMark},     {0x05D0, 0x05EA, kHebrew},
    {0x05EF, 0x05F2, kHebrew},   {0x0610, 0x061A, kMark},     {0x0620, 0x064A, kArabic},
    {0x064B, 0x065F, kMark},     {0x066E, 0x066F, kArabic},   {0x0670, 0x0670, kMark},
    {0x0671, 0x06D3, kArabic},   {0x06D5, 0x06D5, kArabic},   {0x06D6, 0x06ED, kMark},
    {0x06EE, 0x06EF, kArabic},   {0x06FA, 0x06FF, kArabic},   {0x0750, 0x077F, kArabic},
    {0x08A0, 0x08FF, kArabic},   {0x0D80, 0x0DE5, kSinhala},  {0x0E01, 0x0E3A, kThai},
    {0x0E40, 0x0E4E, kThai},     {0x0E81, 0x0ECF, kLao},      {0x0EDC, 0x0EDF, kLao},
    {0x1000, 0x103F, kMyanmar},  {0x1050, 0x109F, kMyanmar},  {0x10A0, 0x10FF, kGeorgian},
    {0x1100, 0x11FF, kHangul},   {0x1780, 0x17D3, kKhmer},    {0x1C90, 0x1CBF, kGeorgian},
    {0x1E00, 0x1EFF, kLatin},    {0x1F00, 0x1FFF, kGreek},    {0x3005, 0x3005, kHan},
    {0x3007, 0x3007, kHan},      {0x3041, 0x3096, kKana},     {0x309D, 0x309F, kKana},
    {0x30A1, 0x30FA, kKana},     {0x30FC, 0x30FF, kKana},     {0x3131, 0x318E, kHangul},
    {0x31F0, 0x31FF, kKana},     {0x3400, 0x4DBF, kHan},      {0x4E00, 0x9FFF, kHan},
    {0xA960, 0xA97F, kHangul},   {0xAC00, 0xD7A3, kHangul},   {0xD7B0, 0xD7FF, kHangul},
    {0xF900, 0xFAFF, kHan},      {0xFB1D, 0xFB4F, kHebrew},   {0xFB50, 0xFDFF, kArabic},
    {0xFE70, 0xFEFC, kArabic},   {0xFF66, 0xFF9F, kKana},     {0x20000, 0x3134F, kHan},
};

// The script of `c` from the ranges above; the source of the lookup tables below.
constexpr Script ScriptFromRanges(char32_t c) {
  if (c < 0x80) return ((c | 0x20) - 'a' < 26) ? kLatin : kNone;
  if (c >= 0x0900 && c < 0x0D80) {
    // The Indic blocks share a layout: the dandas and digits sit at offsets 0x64 to 0x6F.
    const char32_t offset = (c - 0x0900) & 0x7F;
    if (offset >= 0x64 && offset <= 0x6F) return kNone;
    return static_cast<Script>(static_cast<int>(kDevanagari) + ((c - 0x0900) >> 7));
  }
  const auto* range =
      std::upper_bound(std::begin(kScriptRanges), std::end(kScriptRanges), c,
                       [](char32_t value, const ScriptRange& r) { return value < r.first; });
  if (range == std::begin(kScriptRanges)) return kNone;
  --range;
  return c <= range->last ? range->script : kNone;
}

// The scripts of the code points below U+2000 (the alphabets) and of U+3000 to U+31FF (kana),
// one lookup away; Han and Hangul are single ranges.
template <char32_t kFirst, size_t kSize>
constexpr std::array<Script, kSize> ScriptTable() {
  std::array<Script, kSize> table{};
  for (size_t i = 0; i < kSize; ++i) table[i] = ScriptFromRanges(kFirst + i);
  return table;
}
constexpr auto kAlphabetScripts = ScriptTable<0, 0x2000>();
constexpr auto kKanaScripts = ScriptTable<0x3000, 0x200>();

// Per script, the language it stands for on its own.
constexpr std::string_view kScriptLanguages[static_cast<int>(kCount)] = {
    "",   "",   "",   "",   "el", "hy", "he", "",   "hi", "bn", "pa", "gu", "or",
    "ta", "te", "kn", "ml", "si", "th", "lo", "my", "ka", "km", "ko", "",   ""};

// The profiles that use the lowercase letter `c` as one of their distinctive letters.
ProfileMask LetterProfiles(char32_t c) {
  if (c >= kLatinBase && c < 0x180) return kLetters.latin[c - kLatinBase];
  if (c >= kCyrillicBase && c < 0x460) return kLetters.cyrillic[c - kCyrillicBase];
  if (c >= 0x1EA0 && c <= 0x1EF9) return kVietnamese;  // the vowels with tone marks
  switch (c) {
    case 0x1A1:
      return kLetters.latin_b[0];
    case 0x1B0:
      return kLetters.latin_b[1];
    case 0x219:
      return kLetters.latin_b[2];
    case 0x21B:
      return kLetters.latin_b[3];
    case 0x491:
      return kLetters.ghe_upturn;
    default:
      return 0;
  }
}

Script ScriptOf(char32_t c) {
  if (c < 0x2000) return kAlphabetScripts[c];
  if (c >= 0x4E00 && c <= 0x9FFF) return kHan;
  if (c >= 0xAC00 && c <= 0xD7A3) return kHangul;
  if (c >= 0x3000 && c < 0x3200) return kKanaScripts[c - 0x3000];
  return ScriptFromRanges(c);
}

// The lowercase of a Latin or Cyrillic letter (Turkish İ becomes i).
char32_t ToLowerLetter(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 0x20 : c;
  if (c >= 0x400 && c < 0x530) {
    if (c >= 0x410 && c <= 0x42F) return c + 0x20;
    if (c <= 0x40F) return c + 0x50;
    return (c >= 0x460 && c % 2 == 0 && (c <= 0x481 || c >= 0x48A)) ? c + 1 : c;
  }
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
  if (c == 0x130) return 'i';
  if (c == 0x178) return 0xFF;
  if (c >= 0x100 && c <= 0x17F) {
    const bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    return (c % 2 == (odd_upper ? 1u : 0u)) ? c + 1 : c;
  }
  if (c == 0x1A0 || c == 0x1AF || (c >= 0x218 && c <= 0x21B && c % 2 == 0)) return c + 1;
  if (c >= 0x1E00 && c <= 0x1EFF && c % 2 == 0) return c + 1;
  return c;
}

}  // namespace

WordEvidence LookUpWord(std::string_view word, int letters) {
  WordEvidence evidence;
  if (word.size() > kMaxWordBytes) return evidence;
  // One pass from the last byte: on the way to the whole word's hash, the hashes of its endings
  // of 2 to 5 letters (that leave at least two letters before them) at the letter boundaries.
  constexpr int kMinEnding = 2;
  constexpr int kMaxEnding = 5;
  std::array<uint32_t, kMaxEnding + 1> ending_hashes{};
  std::array<size_t, kMaxEnding + 1> ending_starts{};
  uint32_t hash = kFnvBasis;
  int suffix_letters = 0;
  for (size_t i = word.size(); i > 0; --i) {
    const auto byte = static_cast<unsigned char>(word[i - 1]);
    hash = HashStep(hash, byte);
    if ((byte & 0xC0) == 0x80 || ++suffix_letters > kMaxEnding) continue;
    ending_hashes[suffix_letters] = hash;
    ending_starts[suffix_letters] = i - 1;
  }
  evidence.word = Find(word, Finish(hash, false), false);
  if (evidence.word != 0) return evidence;  // a listed word says enough
  for (int length = std::min(kMaxEnding, letters - 2); length >= kMinEnding; --length) {
    const size_t start = ending_starts[length];
    evidence.ending = Find(word.substr(start), Finish(ending_hashes[length], true), true);
    if (evidence.ending != 0) break;  // the longest listed ending
  }
  return evidence;
}

Letter DescribeLetter(char32_t c) {
  const Script script = ScriptOf(c);
  if (script != kLatin && script != kCyrillic) return Letter(script, c, 0);
  const char32_t lower = ToLowerLetter(c);
  return Letter(script, lower, LetterProfiles(lower));
}

std::string_view ScriptLanguage(Script script) {
  return kScriptLanguages[static_cast<int>(script)];
}

}  // namespace gw::accounting::insights
