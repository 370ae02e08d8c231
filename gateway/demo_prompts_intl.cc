// The demo prompts in languages other than English (demo_prompts.h): the categories whose
// traffic the demo sends in them. Programming requests paste the same code as in English.
#include <string_view>

#include "gateway/demo_prompts_data.h"

namespace gw::demo::internal {
namespace {

using config::TaskCategory;
using std::string_view;

// ---- Chinese --------------------------------------------------------------------------------

// The classifier has no cues for a plain question in Chinese, Japanese or Korean (general_qa):
// their requests are of categories it has words for.
constexpr string_view kZhTechnology[] = {
    "我家的路由器每天晚上都会断网，应该怎么设置？是不是需要换一个新的？",
    "新买的电脑连不上家里的网络，手机却可以，这是什么原因？",
};
constexpr string_view kZhScience[] = {
    "为什么冰会浮在水面上？请从分子和原子的角度解释一下其中的物理原理。",
    "光合作用的化学过程是怎样的？植物细胞里的生物反应能讲得简单一点吗？",
};
constexpr string_view kZhHealth[] = {
    "我头痛三天了，吃了布洛芬也没什么用，需要去看医生吗？",
    "最近总是感冒，喉咙痛还咳嗽，有哪些症状说明应该去医院？",
};
constexpr string_view kZhReplies[] = {
    "好的，我来帮你分析一下，下面分几点说明。",
    "这个问题很常见。下面是几个建议，你可以先试第一个，看看效果怎么样。",
    "没问题。我把需要注意的地方整理成了几点，你可以一项一项来看。",
};
constexpr string_view kZhProgramming[] = {
    "这个函数在购物车为空的时候为什么返回 None？我以为会返回零。代码如下：",
    "帮我把这段代码重构一下，数据库查询不要放在循环里面，再加一个单元测试。",
    "升级 pytest 之后这个测试就报错了，帮我看看是哪里的问题，顺便解释一下报错信息。",
    "这段代码有没有并发的问题？合并之前请帮我检查一下。",
};
constexpr string_view kZhAgent[] = {
    "给订单接口加上分页，每页五十条，然后把相关的测试也更新一下。",
    "今天早上开始持续集成就一直失败，帮我找一下原因并修好它。",
    "把代码里所有的 cart_total 改名为 compute_cart_total，确保测试都能通过。",
};
constexpr string_view kZhRoleplay[] = {
    "*推开酒馆的门，抖掉斗篷上的雨水* 晚上好，还有空房间吗？再给我来点热的喝的。",
    "*在你对面坐下，把一张折好的地图推过桌子* 听说你认识穿过灰烬山口的路。开个价吧。",
    "*紧张地看了一眼门口* 好像有人一直在跟踪我。这里有后门可以出去吗？",
    "*把最后一块面包递给你* 你看起来好几天没吃东西了。你的船员们都怎么了？",
};
constexpr string_view kZhRoleplayReplies[] = {
    "*用抹布擦着杯子，上下打量着你* 房间倒是有，两个银币一晚，炖菜另算。*把一把铜钥匙推过柜台* "
    "左边第三间，地窖里有点吵，别在意。",
    "*用手指敲了敲地图，嘴角一挑* 灰烬山口专吃傻瓜和他们的骡子。四十个金币，先付一半，水自己带。",
    "*压低声音，朝厨房点了点头* 从那边走，穿过酒桶就是。门有点卡，得用肩膀顶一下。",
};
constexpr string_view kZhTranslation[] = {
    "请把下面这段话翻译成英文，语气保持轻松自然：",
    "帮我把这段中文翻译成日语，是发给客户的邮件，要用敬语：",
};
constexpr string_view kZhTranslationMaterial[] = {
    "感谢您的订购！您的包裹今天上午已经从我们的仓库发出，预计三到五个工作日内送达。"
    "您可以通过短信里的链接随时查看物流信息。如果收到的商品有缺少或者损坏，直接回复这条消息，"
    "我们会尽快为您处理。",
    "春节期间我们的营业时间有所调整：除夕下午两点关门，初一到初三休息，初四起恢复正常营业。"
    "祝您和家人新年快乐，万事如意！",
};
constexpr string_view kZhFinance[] = {
    "我手里有五万块闲钱，是买基金好还是存定期好？股票投资的风险大概有多大？",
    "每个月工资到手一万二，怎么做理财规划比较合理？房贷要不要提前还？",
};

// ---- Spanish --------------------------------------------------------------------------------

constexpr string_view kEsGeneral[] = {
    "¿Cómo puedo quitar una mancha de vino tinto de una camisa blanca de algodón?",
    "¿Qué debería llevar en la mochila para una excursión de tres días por la sierra en octubre?",
    "¿Por qué el pan que hago en casa queda tan denso aunque sigo la receta al pie de la letra?",
    "¿Es de mala educación llegar diez minutos tarde a una cena en casa de unos amigos?",
    "¿Qué se puede hacer en familia un domingo de lluvia para no aburrirse en casa?",
};
constexpr string_view kEsSupport[] = {
    "Hola, pedí una licuadora la semana pasada y todavía aparece como pendiente. ¿Cuándo la van "
    "a enviar?",
    "¿Puedo cambiar la dirección de entrega de mi pedido? Me mudo el viernes y no voy a estar en "
    "casa.",
    "La tapa de mi hervidor llegó rota. ¿Qué tengo que hacer para que me manden otra?",
};
constexpr string_view kEsReplies[] = {
    "¡Claro! Te lo explico paso a paso para que sea más fácil. Si algo no queda claro, "
    "pregúntame de nuevo.",
    "Es una pregunta muy común. Aquí tienes algunas ideas que suelen funcionar bastante bien.",
    "Gracias por escribirnos. Te cuento lo que podemos hacer.",
};
constexpr string_view kEsProgramming[] = {
    "¿Por qué esta función devuelve None cuando el carrito está vacío? Esperaba que devolviera "
    "cero. Aquí está el código:",
    "Refactoriza este código para que la consulta a la base de datos se haga una sola vez por "
    "petición y añade un test unitario.",
    "Este test empezó a fallar cuando actualicé pytest y no sé por qué. ¿Me ayudas a encontrar "
    "el error y a entender qué significa la traza?",
};
constexpr string_view kEsRoleplay[] = {
    "*empujo la puerta de la taberna y me sacudo la lluvia de la capa* Buenas noches. ¿Le queda "
    "alguna habitación libre y algo caliente para beber?",
    "*me siento frente a ti y deslizo un mapa doblado sobre la mesa* Dicen que conoces el camino "
    "por el Paso de Ceniza. ¿Cuánto me va a costar?",
    "*miro de reojo hacia la puerta* Creo que alguien me ha seguido hasta aquí. ¿Hay una salida "
    "por detrás?",
};
constexpr string_view kEsRoleplayReplies[] = {
    "*limpia una jarra con un trapo y te mira de arriba abajo* Habitación hay. Dos monedas de "
    "plata, y el guiso se paga aparte. *desliza una llave de latón por el mostrador* La tercera "
    "puerta a la izquierda.",
    "*baja la voz y señala la cocina con la cabeza* Por ahí, detrás de los barriles. La puerta se "
    "atasca, así que empuja con el hombro.",
};
constexpr string_view kEsTranslation[] = {
    "Traduce al inglés el siguiente texto, manteniendo un tono cercano:",
    "¿Me traduces este mensaje al francés? Es para un cliente de Lyon:",
};
constexpr string_view kEsTranslationMaterial[] = {
    "¡Gracias por tu pedido! Tu paquete salió esta mañana de nuestro almacén y debería llegar en "
    "un plazo de tres a cinco días laborables. Puedes seguir el envío con el enlace de este "
    "mensaje. Si falta algo o llega dañado, responde a este correo y lo solucionamos enseguida.",
    "Durante las fiestas cambiamos el horario: el día veinticuatro cerramos a las dos de la "
    "tarde y el veinticinco y el veintiséis estaremos cerrados. A partir del veintisiete "
    "volvemos al horario de siempre. ¡Te deseamos un feliz fin de año!",
};
constexpr string_view kEsHealth[] = {
    "Llevo tres días con dolor de cabeza y el ibuprofeno casi no me hace efecto. ¿Debería ir al "
    "médico?",
    "¿Cuáles son los síntomas más comunes de la anemia por falta de hierro?",
};
constexpr string_view kEsTrivia[] = {
    "¿Cuál es la capital de Australia? Siempre pensé que era Sídney.",
    "¿Quién escribió Cien años de soledad y en qué año se publicó?",
};
constexpr string_view kEsCreative[] = {
    "Escribe un cuento corto sobre un faro abandonado y una niña que habla con las gaviotas.",
    "Continúa el cuento desde donde termina, con la misma voz del narrador:",
};
constexpr string_view kEsCreativeMaterial[] = {
    "La niebla llegó antes que los barcos. Elena esperaba al final del muelle con el farol de su "
    "padre, contando los cascos que salían del gris, y cuando el último pasó la escollera volvió a "
    "contarlos, porque el número no cuadraba. El Marita no estaba entre ellos.",
};
constexpr string_view kEsMarketing[] = {
    "Escribe un eslogan y un anuncio corto para la campaña de lanzamiento de nuestra nueva "
    "cafetera, pensado para parejas jóvenes.",
    "Necesito tres textos publicitarios para Instagram con hashtags para promocionar el descuento "
    "de primavera.",
};
constexpr string_view kEsEducation[] = {
    "Explícame paso a paso cómo resolver ecuaciones de segundo grado, que lo necesito para los "
    "deberes de mañana.",
    "Hazme un examen de diez preguntas sobre la Revolución francesa para mis alumnos de "
    "bachillerato.",
};

// ---- Russian --------------------------------------------------------------------------------

constexpr string_view kRuGeneral[] = {
    "Как вывести пятно от красного вина с белой хлопковой рубашки? Я уже промыл его холодной "
    "водой.",
    "Что взять с собой в трёхдневный поход в горы в октябре, если ночью будет холодно?",
    "Почему мой домашний хлеб получается таким плотным, хотя я всё делаю по рецепту?",
    "Чем можно заняться с двумя детьми дома в дождливое воскресенье, чтобы им не было скучно?",
};
constexpr string_view kRuReplies[] = {
    "Хороший вопрос. Вот несколько простых способов, начните с первого и посмотрите, что "
    "получится.",
    "Конечно, я помогу. Ниже по шагам, что стоит сделать и на что обратить внимание.",
};
constexpr string_view kRuProgramming[] = {
    "Почему эта функция возвращает None, когда корзина пустая? Я ожидал ноль. Вот код:",
    "Перепиши этот код так, чтобы запрос к базе данных выполнялся один раз, а не в цикле, и "
    "добавь юнит-тест.",
    "После обновления pytest этот тест начал падать. Помоги найти ошибку и объясни, что "
    "означает трейсбек.",
};
constexpr string_view kRuRoleplay[] = {
    "*толкаю дверь таверны и стряхиваю дождь с плаща* Добрый вечер. Найдётся комната на ночь и "
    "что-нибудь горячее выпить?",
    "*сажусь напротив и кладу на стол сложенную карту* Говорят, ты знаешь дорогу через Пепельный "
    "перевал. Сколько возьмёшь?",
    "*оглядываюсь на дверь* Кажется, за мной кто-то следил. Здесь есть чёрный ход?",
    "*протягиваю тебе последний кусок хлеба* Ты выглядишь так, будто не ел несколько дней. Что "
    "случилось с твоей командой?",
};
constexpr string_view kRuRoleplayReplies[] = {
    "*протирает кружку тряпкой и оглядывает тебя с ног до головы* Комната есть. Две серебряные "
    "монеты, похлёбка отдельно. *кладёт на стойку медный ключ* Третья дверь налево.",
    "*понижает голос и кивает в сторону кухни* Туда, мимо бочек. Дверь заедает, так что толкни "
    "её плечом.",
};
constexpr string_view kRuTranslation[] = {
    "Переведи этот текст на английский, сохрани дружелюбный тон:",
};
constexpr string_view kRuTranslationMaterial[] = {
    "Спасибо за заказ! Ваша посылка сегодня утром покинула наш склад и будет доставлена в "
    "течение трёх-пяти рабочих дней. Отследить её можно по ссылке в этом сообщении. Если чего-то "
    "не хватает или товар пришёл повреждённым, просто ответьте на это письмо, и мы всё исправим.",
};
constexpr string_view kRuScience[] = {
    "Почему лёд плавает на воде? Объясни, как устроена молекула воды и при чём тут атом "
    "водорода.",
    "Что такое чёрная дыра и почему из неё не может вырваться даже свет? Объясни, какая тут "
    "физика.",
};

// ---- German ---------------------------------------------------------------------------------

constexpr string_view kDeGeneral[] = {
    "Wie bekomme ich einen Rotweinfleck aus einem weißen Baumwollhemd? Ich habe ihn schon mit "
    "kaltem Wasser ausgespült.",
    "Was sollte ich für eine dreitägige Wanderung in den Bergen im Oktober einpacken?",
    "Warum wird mein selbstgebackenes Brot so kompakt, obwohl ich mich genau an das Rezept halte?",
    "Ist es unhöflich, zu einem Abendessen bei Freunden zehn Minuten zu spät zu kommen?",
};
constexpr string_view kDeSupport[] = {
    "Hallo, ich habe letzte Woche einen Mixer bestellt und der Status steht immer noch auf in "
    "Bearbeitung. Wann wird er verschickt?",
    "Kann ich die Lieferadresse meiner Bestellung noch ändern? Ich ziehe am Freitag um.",
};
constexpr string_view kDeReplies[] = {
    "Gute Frage! Hier sind ein paar einfache Schritte, die meistens gut funktionieren.",
    "Danke für Ihre Nachricht. Ich erkläre Ihnen gern, wie es weitergeht.",
};
constexpr string_view kDeProgramming[] = {
    "Warum gibt diese Funktion None zurück, wenn der Warenkorb leer ist? Ich hatte null "
    "erwartet. Hier ist der Code:",
    "Kannst du diesen Code so umbauen, dass die Datenbankabfrage nur einmal pro Anfrage läuft, "
    "und einen Unit Test dafür schreiben?",
};
constexpr string_view kDeRoleplay[] = {
    "*stoße die Tür der Taverne auf und schüttle den Regen vom Umhang* Guten Abend. Habt Ihr "
    "noch ein Zimmer für die Nacht und etwas Warmes zu trinken?",
    "*setze mich Euch gegenüber und schiebe eine gefaltete Karte über den Tisch* Man sagt, Ihr "
    "kennt den Weg über den Aschenpass. Was verlangt Ihr dafür?",
};
constexpr string_view kDeTranslation[] = {
    "Übersetze den folgenden Text ins Englische, bitte im gleichen freundlichen Ton:",
};
constexpr string_view kDeTranslationMaterial[] = {
    "Vielen Dank für Ihre Bestellung! Ihr Paket hat heute Morgen unser Lager verlassen und sollte "
    "in drei bis fünf Werktagen bei Ihnen sein. Mit dem Link in dieser Nachricht können Sie die "
    "Sendung verfolgen. Falls etwas fehlt oder beschädigt ist, antworten Sie einfach auf diese "
    "E-Mail.",
};
constexpr string_view kDeHealth[] = {
    "Ich habe seit drei Tagen Kopfschmerzen hinter den Augen und Ibuprofen hilft kaum. Sollte "
    "ich zum Arzt gehen?",
};
constexpr string_view kDeLegal[] = {
    "Mein Vermieter will die Kaution nicht zurückzahlen, weil die Wände Gebrauchsspuren haben. "
    "Ist das rechtlich überhaupt zulässig?",
};
constexpr string_view kDeTechnology[] = {
    "Mein WLAN bricht jeden Abend ab. Welche Einstellungen am Router sollte ich ändern?",
    "Wie setze ich den Router auf die Werkseinstellungen zurück, ohne das Firmware-Update zu "
    "verlieren?",
};
constexpr string_view kDeProductivity[] = {
    "Fasse diesen E-Mail-Verlauf in fünf Stichpunkten zusammen und liste die offenen Aufgaben "
    "auf:",
};
constexpr string_view kDeProductivityMaterial[] = {
    "Von: Jana Keller\nAn: Team Einkauf\n\nHallo zusammen, der Lieferant hat bestätigt, dass die "
    "neuen Regale nicht am 12. kommen, sondern erst am 19. Damit verschiebt sich der Umzug des "
    "Lagers um eine Woche. Tobias, kannst du mit der Spedition klären, ob sie unseren Termin "
    "verschieben kann? Maria, bitte passe den Projektplan an und informiere die Filialleiter.",
};
constexpr string_view kDeCreative[] = {
    "Schreib eine Kurzgeschichte über einen alten Leuchtturmwärter und seinen letzten Winter auf "
    "der Insel.",
};
constexpr string_view kDeMarketing[] = {
    "Schreib einen Werbetext und drei Slogans für unsere neue Kaffeemaschine, die Zielgruppe sind "
    "junge Familien.",
};

// ---- French ---------------------------------------------------------------------------------

constexpr string_view kFrGeneral[] = {
    "Comment enlever une tache de vin rouge sur une chemise blanche en coton ?",
    "Qu'est-ce que je devrais emporter pour une randonnée de trois jours dans les Alpes au mois "
    "d'octobre ?",
    "Pourquoi ma baguette maison est-elle si dense alors que je respecte exactement la recette ?",
    "Est-ce que c'est impoli d'arriver en retard à un dîner chez des amis ?",
};
constexpr string_view kFrSupport[] = {
    "Bonjour, j'ai commandé un mixeur la semaine dernière et il est toujours en cours de "
    "traitement. Quand sera-t-il expédié ?",
    "Est-ce que je peux encore changer l'adresse de livraison de ma commande ? Je déménage "
    "vendredi.",
};
constexpr string_view kFrReplies[] = {
    "Bonne question ! Voici quelques étapes simples qui fonctionnent en général très bien.",
    "Merci pour votre message. Je vous explique volontiers la suite.",
};
constexpr string_view kFrRoleplay[] = {
    "*pousse la porte de la taverne et secoue la pluie de ma cape* Bonsoir. Il vous reste une "
    "chambre pour la nuit, et quelque chose de chaud à boire ?",
    "*s'assoit en face de toi et fait glisser une carte pliée sur la table* On dit que tu "
    "connais le chemin du col des Cendres. Combien tu demandes ?",
};
constexpr string_view kFrTranslation[] = {
    "Traduis ce texte en anglais, en gardant un ton chaleureux :",
};
constexpr string_view kFrTranslationMaterial[] = {
    "Merci pour votre commande ! Votre colis a quitté notre entrepôt ce matin et devrait arriver "
    "d'ici trois à cinq jours ouvrés. Vous pouvez suivre la livraison grâce au lien dans ce "
    "message. S'il manque quelque chose ou si un article est abîmé, répondez simplement à ce "
    "courriel.",
};
constexpr string_view kFrTrivia[] = {
    "Quelle est la capitale de l'Australie ? Je pensais que c'était Sydney.",
};
constexpr string_view kFrProductivity[] = {
    "Rédige une réponse polie à ce courriel pour décaler la réunion à jeudi après-midi :",
};
constexpr string_view kFrProductivityMaterial[] = {
    "Bonjour Claire, comme convenu, je vous propose de faire le point sur le projet mardi à dix "
    "heures dans nos bureaux. Nous aurons besoin de votre avis sur le calendrier et sur le "
    "budget de la deuxième phase. Pouvez-vous me confirmer votre présence ? Bien cordialement, "
    "Marc",
};
constexpr string_view kFrCreative[] = {
    "Écris un poème sur le port à l'aube, en quatre strophes, pour ouvrir le prochain chapitre.",
};

// ---- Japanese -------------------------------------------------------------------------------

constexpr string_view kJaHealth[] = {
    "三日前から頭痛がひどくて、病気かもしれないと心配です。病院に行くべきでしょうか？",
};
constexpr string_view kJaFinance[] = {
    "株式投資を始めたいのですが、毎月いくらくらいから始めるのがいいですか？",
};
constexpr string_view kJaReplies[] = {
    "いい質問ですね。よく効く方法をいくつか順番に紹介しますので、まずは一つ目から試してみてください"
    "。",
    "もちろんです。気をつける点をまとめましたので、一つずつ確認していきましょう。",
};
constexpr string_view kJaProgramming[] = {
    "カートが空のとき、この関数がNoneを返すのはなぜですか？ゼロが返ってくると思っていました。"
    "コードはこちらです：",
    "ループの中でデータベースを呼ばないように、このコードをリファクタリングしてください。"
    "テストも追加してほしいです。",
};
constexpr string_view kJaRoleplay[] = {
    "*酒場の扉を押し開けて、マントの雨を払う* こんばんは。今夜泊まれる部屋はありますか？"
    "何か温かい飲み物もお願いします。",
    "*向かいに座って、折りたたんだ地図をテーブルの上に滑らせる* "
    "灰の峠を抜ける道を知っていると聞きました。いくら払えばいいですか？",
    "*不安そうに扉のほうを見る* 誰かにつけられている気がします。裏口はありますか？",
};
constexpr string_view kJaRoleplayReplies[] = {
    "*布でジョッキを拭きながら、こちらをじっと見る* "
    "部屋ならあるよ。一晩銀貨二枚、シチューは別料金だ。"
    "*真鍮の鍵をカウンターに滑らせる* 左の三番目の部屋だよ。",
    "*声を落として厨房のほうにあごをしゃくる* あっちだ、樽の奥にある。扉が固いから肩で押しな。",
};
constexpr string_view kJaTranslation[] = {
    "次の文章を英語に翻訳してください。お客様へのメールなので丁寧な表現でお願いします：",
};
constexpr string_view kJaTranslationMaterial[] = {
    "このたびはご注文いただき、誠にありがとうございます。商品は本日の午前中に倉庫から発送いたしまし"
    "た。"
    "三日から五日ほどでお届けする予定です。配送状況はこちらのリンクからご確認いただけます。",
};
constexpr string_view kJaTechnology[] = {
    "ルーターを再起動してもWi-"
    "Fiがすぐに切れてしまいます。パソコンの設定を見直したほうがいいですか？",
};

// ---- Portuguese -----------------------------------------------------------------------------

constexpr string_view kPtGeneral[] = {
    "Como eu tiro uma mancha de vinho tinto de uma camisa branca de algodão?",
    "O que devo levar na mochila para uma trilha de três dias na serra em outubro?",
    "Por que o meu pão caseiro fica tão pesado mesmo seguindo a receita direitinho?",
};
constexpr string_view kPtSupport[] = {
    "Olá, comprei um liquidificador na semana passada e o pedido ainda aparece como em "
    "processamento. Quando vai ser enviado?",
};
constexpr string_view kPtReplies[] = {
    "Boa pergunta! Aqui estão algumas dicas simples que costumam funcionar muito bem.",
    "Obrigado pela mensagem. Já te explico o que acontece agora.",
};
constexpr string_view kPtProgramming[] = {
    "Por que essa função retorna None quando o carrinho está vazio? Eu esperava que retornasse "
    "zero. Segue o código:",
    "Refatora esse código para a consulta ao banco de dados rodar uma vez só por requisição, e "
    "adiciona um teste unitário.",
};
constexpr string_view kPtRoleplay[] = {
    "*empurro a porta da taverna e sacudo a chuva da capa* Boa noite. Ainda tem um quarto livre "
    "e alguma coisa quente para beber?",
    "*sento na sua frente e empurro um mapa dobrado pela mesa* Dizem que você conhece o caminho "
    "pelo Passo das Cinzas. Quanto você cobra?",
    "*olho de relance para a porta* Acho que alguém me seguiu até aqui. Tem uma saída pelos "
    "fundos?",
};
constexpr string_view kPtRoleplayReplies[] = {
    "*limpa uma caneca com um pano e te olha de cima a baixo* Quarto tem. Duas moedas de prata, e "
    "o ensopado é à parte. *empurra uma chave de latão pelo balcão* Terceira porta à esquerda.",
};
constexpr string_view kPtTranslation[] = {
    "Traduza o texto abaixo para o inglês, mantendo o tom informal:",
};
constexpr string_view kPtTranslationMaterial[] = {
    "Obrigado pelo seu pedido! O seu pacote saiu do nosso armazém hoje de manhã e deve chegar em "
    "três a cinco dias úteis. Você pode acompanhar a entrega pelo link nesta mensagem. Se faltar "
    "alguma coisa ou se o produto chegar danificado, é só responder a este e-mail.",
};

// ---- Korean ---------------------------------------------------------------------------------

constexpr string_view kKoHealth[] = {
    "사흘째 머리가 아파서 병원에 가야 할지 고민이에요. 약을 먹어도 낫지 않아요.",
};
constexpr string_view kKoFinance[] = {
    "월급의 얼마를 투자해야 할까요? 주식과 펀드 중에 어떤 것이 더 나을까요?",
};
constexpr string_view kKoTechnology[] = {
    "노트북이 와이파이에 자꾸 끊겨요. 컴퓨터 설정에서 무엇을 바꿔야 하나요?",
};
constexpr string_view kKoReplies[] = {
    "좋은 질문이에요. 효과가 좋은 방법을 몇 가지 순서대로 알려 드릴게요.",
    "물론이죠. 주의할 점을 정리해 드릴 테니 하나씩 확인해 보세요.",
};
constexpr string_view kKoRoleplay[] = {
    "*선술집 문을 밀고 들어가 망토에 묻은 빗물을 턴다* 안녕하세요. 오늘 밤 묵을 방이 있나요? "
    "따뜻한 마실 것도 부탁해요.",
    "*맞은편에 앉아 접힌 지도를 탁자 위로 밀어 준다* 잿빛 고개를 넘는 길을 안다고 들었어요. "
    "얼마면 되겠어요?",
};
constexpr string_view kKoRoleplayReplies[] = {
    "*천으로 잔을 닦으며 당신을 훑어본다* 방은 있지. 하룻밤에 은화 두 닢, 스튜는 따로야. "
    "*놋쇠 열쇠를 카운터 위로 밀어 준다* 왼쪽 세 번째 방이야.",
};
constexpr string_view kKoTranslation[] = {
    "다음 글을 영어로 번역해 주세요. 고객에게 보내는 메일이라 자연스러운 말투로 부탁해요:",
};
constexpr string_view kKoTranslationMaterial[] = {
    "주문해 주셔서 감사합니다. 고객님의 상품은 오늘 오전에 창고에서 출발했으며, 3일에서 5일 "
    "안에 도착할 예정입니다. 배송 현황은 이 메시지의 링크에서 확인하실 수 있습니다.",
};

}  // namespace

std::span<const TopicText> InternationalTopicTexts() {
  using TC = TaskCategory;
  using L = Language;
  // Built on first use: the code pasted by programming requests is another file's.
  static const std::span<const string_view> kCode = CodeMaterial();
  static const TopicText kTopics[] = {
      // Chinese
      {TC::kTechnology, Topic::kGeneral, L::kChinese, kZhTechnology, {}, kZhReplies, {}},
      {TC::kScience, Topic::kGeneral, L::kChinese, kZhScience, {}, kZhReplies, {}},
      {TC::kHealth, Topic::kGeneral, L::kChinese, kZhHealth, {}, kZhReplies, {}},
      {TC::kProgramming, Topic::kGeneral, L::kChinese, kZhProgramming, {}, {}, kCode},
      {TC::kProgramming, Topic::kAgent, L::kChinese, kZhAgent, {}, {}, kCode},
      {TC::kRoleplay, Topic::kGeneral, L::kChinese, kZhRoleplay, {}, kZhRoleplayReplies, {}},
      {TC::kTranslation,
       Topic::kGeneral,
       L::kChinese,
       kZhTranslation,
       {},
       {},
       kZhTranslationMaterial},
      {TC::kFinance, Topic::kGeneral, L::kChinese, kZhFinance, {}, kZhReplies, {}},
      // Spanish
      {TC::kGeneralQa, Topic::kGeneral, L::kSpanish, kEsGeneral, {}, kEsReplies, {}},
      {TC::kGeneralQa, Topic::kSupport, L::kSpanish, kEsSupport, {}, kEsReplies, {}},
      {TC::kProgramming, Topic::kGeneral, L::kSpanish, kEsProgramming, {}, {}, kCode},
      {TC::kRoleplay, Topic::kGeneral, L::kSpanish, kEsRoleplay, {}, kEsRoleplayReplies, {}},
      {TC::kTranslation,
       Topic::kGeneral,
       L::kSpanish,
       kEsTranslation,
       {},
       {},
       kEsTranslationMaterial},
      {TC::kHealth, Topic::kGeneral, L::kSpanish, kEsHealth, {}, kEsReplies, {}},
      {TC::kTrivia, Topic::kGeneral, L::kSpanish, kEsTrivia, {}, kEsReplies, {}},
      {TC::kCreativeWriting,
       Topic::kGeneral,
       L::kSpanish,
       kEsCreative,
       {},
       {},
       kEsCreativeMaterial},
      {TC::kMarketing, Topic::kGeneral, L::kSpanish, kEsMarketing, {}, kEsReplies, {}},
      {TC::kEducation, Topic::kGeneral, L::kSpanish, kEsEducation, {}, kEsReplies, {}},
      // Russian
      {TC::kGeneralQa, Topic::kGeneral, L::kRussian, kRuGeneral, {}, kRuReplies, {}},
      {TC::kProgramming, Topic::kGeneral, L::kRussian, kRuProgramming, {}, {}, kCode},
      {TC::kRoleplay, Topic::kGeneral, L::kRussian, kRuRoleplay, {}, kRuRoleplayReplies, {}},
      {TC::kTranslation,
       Topic::kGeneral,
       L::kRussian,
       kRuTranslation,
       {},
       {},
       kRuTranslationMaterial},
      {TC::kScience, Topic::kGeneral, L::kRussian, kRuScience, {}, kRuReplies, {}},
      // German
      {TC::kGeneralQa, Topic::kGeneral, L::kGerman, kDeGeneral, {}, kDeReplies, {}},
      {TC::kGeneralQa, Topic::kSupport, L::kGerman, kDeSupport, {}, kDeReplies, {}},
      {TC::kProgramming, Topic::kGeneral, L::kGerman, kDeProgramming, {}, {}, kCode},
      {TC::kRoleplay, Topic::kGeneral, L::kGerman, kDeRoleplay, {}, kDeReplies, {}},
      {TC::kTranslation,
       Topic::kGeneral,
       L::kGerman,
       kDeTranslation,
       {},
       {},
       kDeTranslationMaterial},
      {TC::kHealth, Topic::kGeneral, L::kGerman, kDeHealth, {}, kDeReplies, {}},
      {TC::kLegal, Topic::kGeneral, L::kGerman, kDeLegal, {}, kDeReplies, {}},
      {TC::kTechnology, Topic::kGeneral, L::kGerman, kDeTechnology, {}, kDeReplies, {}},
      {TC::kProductivity,
       Topic::kGeneral,
       L::kGerman,
       kDeProductivity,
       {},
       {},
       kDeProductivityMaterial},
      {TC::kCreativeWriting, Topic::kGeneral, L::kGerman, kDeCreative, {}, kDeReplies, {}},
      {TC::kMarketing, Topic::kGeneral, L::kGerman, kDeMarketing, {}, kDeReplies, {}},
      // French
      {TC::kGeneralQa, Topic::kGeneral, L::kFrench, kFrGeneral, {}, kFrReplies, {}},
      {TC::kGeneralQa, Topic::kSupport, L::kFrench, kFrSupport, {}, kFrReplies, {}},
      {TC::kRoleplay, Topic::kGeneral, L::kFrench, kFrRoleplay, {}, kFrReplies, {}},
      {TC::kTranslation,
       Topic::kGeneral,
       L::kFrench,
       kFrTranslation,
       {},
       {},
       kFrTranslationMaterial},
      {TC::kTrivia, Topic::kGeneral, L::kFrench, kFrTrivia, {}, kFrReplies, {}},
      {TC::kProductivity,
       Topic::kGeneral,
       L::kFrench,
       kFrProductivity,
       {},
       {},
       kFrProductivityMaterial},
      {TC::kCreativeWriting, Topic::kGeneral, L::kFrench, kFrCreative, {}, kFrReplies, {}},
      // Japanese
      {TC::kHealth, Topic::kGeneral, L::kJapanese, kJaHealth, {}, kJaReplies, {}},
      {TC::kFinance, Topic::kGeneral, L::kJapanese, kJaFinance, {}, kJaReplies, {}},
      {TC::kProgramming, Topic::kGeneral, L::kJapanese, kJaProgramming, {}, {}, kCode},
      {TC::kRoleplay, Topic::kGeneral, L::kJapanese, kJaRoleplay, {}, kJaRoleplayReplies, {}},
      {TC::kTranslation,
       Topic::kGeneral,
       L::kJapanese,
       kJaTranslation,
       {},
       {},
       kJaTranslationMaterial},
      {TC::kTechnology, Topic::kGeneral, L::kJapanese, kJaTechnology, {}, kJaReplies, {}},
      // Portuguese
      {TC::kGeneralQa, Topic::kGeneral, L::kPortuguese, kPtGeneral, {}, kPtReplies, {}},
      {TC::kGeneralQa, Topic::kSupport, L::kPortuguese, kPtSupport, {}, kPtReplies, {}},
      {TC::kProgramming, Topic::kGeneral, L::kPortuguese, kPtProgramming, {}, {}, kCode},
      {TC::kRoleplay, Topic::kGeneral, L::kPortuguese, kPtRoleplay, {}, kPtRoleplayReplies, {}},
      {TC::kTranslation,
       Topic::kGeneral,
       L::kPortuguese,
       kPtTranslation,
       {},
       {},
       kPtTranslationMaterial},
      // Korean
      {TC::kHealth, Topic::kGeneral, L::kKorean, kKoHealth, {}, kKoReplies, {}},
      {TC::kFinance, Topic::kGeneral, L::kKorean, kKoFinance, {}, kKoReplies, {}},
      {TC::kTechnology, Topic::kGeneral, L::kKorean, kKoTechnology, {}, kKoReplies, {}},
      {TC::kRoleplay, Topic::kGeneral, L::kKorean, kKoRoleplay, {}, kKoRoleplayReplies, {}},
      {TC::kTranslation,
       Topic::kGeneral,
       L::kKorean,
       kKoTranslation,
       {},
       {},
       kKoTranslationMaterial},
  };
  return kTopics;
}

}  // namespace gw::demo::internal
