// The English text of the demo prompts, one block per task category (demo_prompts.h).
#include <string_view>

#include "gateway/demo_prompts_data.h"

namespace gw::demo::internal {
namespace {

using config::TaskCategory;
using std::string_view;

// ---- programming ----------------------------------------------------------------------------

constexpr string_view kCode[] = {
    R"~(src/orders/cart.py:
```python
from decimal import Decimal

from orders.models import CartItem, Discount


def cart_total(items: list[CartItem], discount: Discount | None = None) -> Decimal:
    """Sum of the line prices, after the discount."""
    if not items:
        return
    total = sum(item.unit_price * item.quantity for item in items)
    if discount is not None and discount.applies_to(items):
        total -= discount.amount(total)
    return total.quantize(Decimal("0.01"))


def line_items(items: list[CartItem]) -> list[dict]:
    result = []
    for item in items:
        product = item.product  # one query per item: slow for big carts
        result.append({"sku": product.sku, "name": product.name, "qty": item.quantity})
    return result
```)~",
    R"~(web/src/components/CartSummary.tsx:
```tsx
import { useEffect, useState } from "react";
import { fetchCart, type Cart } from "../api/cart";

export function CartSummary({ userId }: { userId: string }) {
  const [cart, setCart] = useState<Cart | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    fetchCart(userId)
      .then((data) => setCart(data))
      .catch((err) => setError(String(err)));
  }, []); // userId missing from the dependency array

  if (error) return <div className="cart-error">{error}</div>;
  if (!cart) return <div className="cart-loading">Loading...</div>;
  return (
    <ul className="cart-summary">
      {cart.items.map((item) => (
        <li>{item.name} x {item.quantity}</li>
      ))}
    </ul>
  );
}
```)~",
    R"~(internal/api/orders_handler.go:
```go
func (h *Handler) ListOrders(w http.ResponseWriter, r *http.Request) {
	userID := r.URL.Query().Get("user_id")
	orders, err := h.store.OrdersByUser(r.Context(), userID)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var wg sync.WaitGroup
	for i := range orders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			orders[i].Items, _ = h.store.ItemsByOrder(r.Context(), orders[i].ID)
		}()
	}
	wg.Wait()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(orders)
}
```)~",
    R"~(src/cache/lru_cache.h:
```cpp
#pragma once
#include <list>
#include <optional>
#include <unordered_map>

template <typename K, typename V>
class LruCache {
 public:
  explicit LruCache(size_t capacity) : capacity_(capacity) {}

  std::optional<V> Get(const K& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->second;
  }

  void Put(const K& key, V value) {
    if (auto it = index_.find(key); it != index_.end()) order_.erase(it->second);
    order_.emplace_front(key, std::move(value));
    index_[key] = order_.begin();
    if (order_.size() > capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
  }

 private:
  size_t capacity_;
  std::list<std::pair<K, V>> order_;
  std::unordered_map<K, typename std::list<std::pair<K, V>>::iterator> index_;
};
```)~",
    R"~(reports/monthly_revenue.sql:
```sql
SELECT c.region,
       date_trunc('month', o.created_at) AS month,
       count(DISTINCT o.id) AS orders,
       sum(oi.quantity * oi.unit_price) AS gross
FROM orders o
JOIN customers c ON c.id = o.customer_id
JOIN order_items oi ON oi.order_id = o.id
LEFT JOIN refunds r ON r.order_id = o.id
WHERE o.created_at >= now() - interval '12 months'
  AND o.status <> 'cancelled'
GROUP BY c.region, month
ORDER BY month, c.region;
```)~",
    R"~(crates/config/src/parser.rs:
```rust
pub fn parse_line(line: &str) -> Result<(String, String), ParseError> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return Err(ParseError::Empty);
    }
    let (key, value) = line
        .split_once('=')
        .ok_or_else(|| ParseError::MissingEquals(line.to_string()))?;
    let key = key.trim().to_lowercase();
    let value = value.trim().trim_matches('"').to_string();
    if key.chars().any(|c| !c.is_ascii_alphanumeric() && c != '_') {
        return Err(ParseError::BadKey(key));
    }
    Ok((key, value))
}
```)~",
    R"~(pytest output:
```
___________________________ test_cart_total_empty ___________________________

    def test_cart_total_empty():
>       assert cart_total([]) == Decimal("0.00")
E       AssertionError: assert None == Decimal('0.00')
E        +  where None = cart_total([])

tests/test_cart.py:14: AssertionError
___________________________ test_line_items_many ____________________________
Traceback (most recent call last):
  File "src/orders/cart.py", line 19, in line_items
    product = item.product
  File "orders/models.py", line 88, in product
    return Product.objects.get(id=self.product_id)
orders.models.Product.DoesNotExist: Product matching query does not exist.
========================= 2 failed, 41 passed in 3.12s =========================
```)~",
    R"~(src/main/java/com/acme/orders/OrderService.java:
```java
@Service
public class OrderService {
    private final OrderRepository repository;
    private final Map<Long, Order> cache = new HashMap<>();

    public OrderService(OrderRepository repository) {
        this.repository = repository;
    }

    public Order findOrder(long id) {
        if (!cache.containsKey(id)) {
            cache.put(id, repository.findById(id).orElseThrow());
        }
        return cache.get(id);
    }

    @Transactional
    public void cancel(long id) {
        Order order = findOrder(id);
        order.setStatus(OrderStatus.CANCELLED);
        repository.save(order);
    }
}
```)~",
};

constexpr string_view kProgrammingAsks[] = {
    "Why does this function return None when the cart is empty? I expected Decimal zero. Here "
    "is the file:",
    "Refactor this code so the database query runs once per request instead of inside the loop, "
    "and add a unit test for the empty case.",
    "This test started failing after I upgraded pytest. Can you find the bug and explain the "
    "stack trace?",
    "Add pagination to this endpoint: page size 50, a next cursor in the JSON response, and "
    "update the TypeScript types that call it.",
    "Review this code for race conditions and memory leaks before I merge the pull request.",
    "The build fails with a compile error in this file. What is wrong with the template and how "
    "do I fix it?",
    "Explain what this SQL query does and suggest an index to make it faster on Postgres.",
    "Implement the missing method in this class so that all the failing tests pass, and keep the "
    "code style of the repo.",
    "Convert this function to async/await and keep the same exception handling.",
    "Write unit tests for this module with pytest, including the edge cases you can find.",
};

constexpr string_view kProgrammingFollowups[] = {
    "Now add type hints and a docstring to the function, and run the linter.",
    "Run the unit tests again and fix whatever still fails.",
    "Can you also handle the case where the API returns a 429 and retry with backoff in the "
    "code?",
    "Good. Now write the database migration for the new column and update the schema.",
    "That fixed it. Please also update the README section about the endpoint.",
};

constexpr string_view kProgrammingReplies[] = {
    "The bug is in `cart_total`: it returns early with a bare `return` when the list is empty, "
    "so the caller gets `None`. Return `Decimal(\"0.00\")` instead and the test passes.",
    "I moved the product lookup out of the loop: one query with `product_id__in` fetches every "
    "product, then a dict maps ids to products. The handler now runs two queries whatever the "
    "cart size.",
    "The goroutines capture the loop variable and write to the shared slice without a lock; with "
    "Go 1.22 the capture is fine, but the ignored error hides failed lookups. I added an "
    "errgroup so the first error cancels the others.",
    "Added the tests: empty cart, one item, a discount larger than the total, and a quantity of "
    "zero. All four pass locally.",
};

constexpr string_view kAgentAsks[] = {
    "add pagination to the /api/orders endpoint, page size 50, and update the handler tests",
    "the CI build is red since this morning, find out why and fix it",
    "rename the function cart_total to compute_cart_total everywhere in the codebase and make "
    "sure the tests still pass",
    "why does npm run build fail with Module not found: Can't resolve './utils/format'? it "
    "worked yesterday",
    "write a Dockerfile for this service and a make target that builds and runs it",
    "bump the version of the http library in go.mod, fix the breaking changes and commit",
    "find the memory leak in the cache module, there is a failing test that shows it",
    "refactor the order service to use the repository interface and add unit tests",
};

constexpr string_view kAgentFollowups[] = {
    "ok, now run the full test suite",
    "looks good, commit it with a short message",
    "also fix the lint errors in the files you touched",
    "can you update the README with the new make target?",
};

constexpr string_view kNotebookAsks[] = {
    "Write a pandas snippet that groups this dataframe by region and month and plots one line "
    "per region.",
    "Why does this SQL join return duplicate rows, and how do I fix the query?",
    "Turn this query into a pandas dataframe pipeline and add a column with the month over month "
    "change.",
    "My notebook cell raises KeyError: 'region' after the merge. What is wrong with the code?",
    "Rewrite this SQL with a window function so I get a running total per customer.",
    "How do I read this CSV in pandas with the right dtypes so the dates are parsed?",
};

constexpr string_view kNotebookMaterial[] = {
    R"~(Cell [12]:
```python
import pandas as pd

orders = pd.read_csv("exports/orders_2025.csv")
customers = pd.read_csv("exports/customers.csv")
df = orders.merge(customers, left_on="customer", right_on="id", how="left")
monthly = (
    df.assign(month=pd.to_datetime(df["created_at"]).dt.to_period("M"))
      .groupby(["region", "month"], as_index=False)["amount"].sum()
)
monthly.pivot(index="month", columns="region", values="amount").plot(figsize=(10, 4))
```
Output:
```
KeyError: 'region'
```)~",
    R"~(```sql
SELECT c.id, c.name, o.id AS order_id, o.amount, p.method
FROM customers c
JOIN orders o ON o.customer_id = c.id
JOIN payments p ON p.customer_id = c.id
WHERE o.created_at >= '2025-01-01'
ORDER BY c.id, o.created_at;
```
```
 id | name        | order_id | amount | method
----+-------------+----------+--------+--------
  7 | Lena Park   |     1042 |  89.90 | card
  7 | Lena Park   |     1042 |  89.90 | paypal
  7 | Lena Park   |     1077 |  12.50 | card
  7 | Lena Park   |     1077 |  12.50 | paypal
```)~",
};

// ---- roleplay -------------------------------------------------------------------------------

constexpr string_view kRoleplayAsks[] = {
    "*pushes open the tavern door and shakes the rain off my cloak* Evening. Do you have a room "
    "for the night, and maybe something hot to drink?",
    "*sits down across from you and slides a folded map over the table* I heard you know the way "
    "through the Ashen Pass. Name your price.",
    "*raises an eyebrow* You really expect me to believe the duke's seal just fell into your "
    "pocket?",
    "*laughs and leans back in the chair* Fine, fine. But the next time you lose at cards, you "
    "pay for the wine.",
    "*glances nervously at the door* Someone followed me here. Is there a back way out of this "
    "place?",
    "*offers you the last piece of bread* You look like you haven't eaten in days. What happened "
    "to your crew?",
    "*draws my sword but keeps it low* I'm not here to fight you. I only want the letter you "
    "took from the courier.",
    "*kneels beside the campfire and warms my hands* The wolves were closer tonight. Do you think "
    "they will follow us into the mountains?",
};

constexpr string_view kRoleplayReplies[] = {
    "*wipes a mug with a rag and looks you over* A room, aye. Two silver, and the stew is extra. "
    "*slides a brass key across the counter* Third door on the left. Don't mind the noise from "
    "the cellar.",
    "*taps the map with one finger and smirks* The Ashen Pass eats fools and their mules. Forty "
    "gold, half now, and you carry your own water.",
    "*shrugs, a little too quickly* Fell, found, borrowed. Does it matter, as long as the gates "
    "open for us tomorrow?",
    "*lowers her voice and nods toward the kitchen* Through there, past the barrels. The door "
    "sticks, so put your shoulder into it. *hands you a lantern*",
    "*stares into the fire for a long moment* The storm took the ship and most of the crew. "
    "Three of us reached the shore. I stopped counting the days after that.",
};

// ---- translation ----------------------------------------------------------------------------

constexpr string_view kTranslationAsks[] = {
    "Translate the following text into French, keeping the friendly tone:",
    "Translate this into Spanish for our guests from Mexico:",
    "Can you translate this paragraph into German? It goes on our website.",
    "Translate into Japanese, in the polite form:",
    "Please translate this message into Brazilian Portuguese:",
    "Translate the text below into Chinese (simplified) and keep the line breaks:",
    "How would you say this in Korean? Translate it naturally, not word for word:",
    "Translate to Italian, and give me a second, more formal translation as well:",
};

constexpr string_view kTranslationMaterial[] = {
    "Thanks for your order! Your parcel left our warehouse this morning and should arrive "
    "within three to five working days. You can follow it with the tracking link in this "
    "message. If anything is missing or damaged, just answer this message and we sort it out "
    "right away.",
    "Our opening hours change for the holidays: we close at two in the afternoon on the "
    "twenty-fourth and stay closed on the twenty-fifth and twenty-sixth. From the twenty-seventh "
    "we are back to the usual times. We wish you and your family a wonderful end of the year.",
    "Dear Marta, it was lovely to meet you in Lisbon last week. As promised, here is the recipe "
    "for the orange cake we talked about, and the name of the little bakery near the river. If "
    "you ever come to Porto, let us know and we can show you around.",
    "The museum is open every day except Monday, from ten in the morning to six in the evening. "
    "Tickets for visitors under twelve are free, and on the first Sunday of each month entry is "
    "free for everyone. Guided tours start at eleven and at three.",
    "The apartment is on the third floor of a quiet building, five minutes from the old town and "
    "the train station. It has two bedrooms, a bright living room with a balcony and a fully "
    "equipped kitchen. Check-in is from three in the afternoon.",
};

// ---- general questions ----------------------------------------------------------------------

constexpr string_view kGeneralAsks[] = {
    "How do I get red wine out of a white cotton shirt?",
    "What's a good way to keep basil alive on a kitchen windowsill?",
    "Is it rude to bring your own wine to a dinner party at a friend's house?",
    "How long should I boil an egg if I want the yolk still a bit soft?",
    "What should I pack for a three day hiking trip in the mountains in October?",
    "How can I stop my glasses from fogging up when it's cold outside?",
    "Why does my homemade bread come out so dense even though I follow the recipe?",
    "What are some fun things to do with the family on a rainy Sunday at home?",
    "How do I get rid of the smell in my fridge without using harsh cleaners?",
    "What is the best way to pack a suitcase so my shirts don't get wrinkled?",
};

constexpr string_view kSupportAsks[] = {
    "Hi, I ordered a blender last week (order A-20417) and it still says processing. When does "
    "it ship?",
    "Can I change the delivery address on my order? I'm moving on Friday and won't be home.",
    "The lid of my kettle arrived cracked. How do I get a replacement?",
    "Do you ship to Canada, and how long does delivery usually take?",
    "I was charged twice for the same order, can you look into it please?",
    "How do I return a coffee grinder that I bought as a gift? It's still in the box.",
    "My parcel says delivered but it's not at my door or with my neighbours. What can I do?",
    "Is the espresso machine available again? It said sold out yesterday.",
};

constexpr string_view kSupportFollowups[] = {
    "Thanks. Can you also tell me when the refund shows up on my card?",
    "OK, and what if it doesn't arrive by Monday?",
    "Great, could you send me the return label right away?",
    "It's order A-20417, under the name Dana Whitfield. Can you check it now?",
};

constexpr string_view kSupportReplies[] = {
    "Thanks for reaching out! I can see order A-20417 is packed and waiting for the carrier. It "
    "should leave our warehouse tomorrow, and you'll get a tracking link as soon as it does.",
    "Sorry about the cracked lid! I've sent a replacement at no cost; it should arrive within "
    "three working days. No need to send the broken one back.",
    "Yes, we ship to Canada. Standard delivery takes five to eight working days, and express "
    "takes two to three.",
};

constexpr string_view kOtherAsks[] = {
    "hi", "test", "hello", "asdf", "ping", "ok", "thanks", "hey", "testing", "1234",
};

// ---- productivity ---------------------------------------------------------------------------

constexpr string_view kProductivityAsks[] = {
    "Summarize this email thread in five bullet points and list the action items with owners.",
    "Draft a polite follow up email to the vendor about the late delivery, based on the thread "
    "below.",
    "Turn these meeting notes into a short status report for my manager.",
    "Write a reply to this email declining the meeting but proposing two other times next week.",
    "Rewrite this announcement so it sounds more professional, and keep it under 150 words.",
    "Make an agenda for next week's planning meeting from these notes.",
};

constexpr string_view kProductivityMaterial[] = {
    "From: Priya Natarajan\nTo: Ops team\nSubject: Delivery of the new shelving units\n\nHi all, "
    "the vendor confirmed the shelving units will not arrive on the 12th as planned. Their new "
    "date is the 19th, which pushes the warehouse move by a week. Tom, can you check with the "
    "movers whether they can shift our slot? Maria, please update the project plan and let the "
    "store managers know.\n\nFrom: Tom Becker\nTo: Ops team\n\nMovers can do the 21st or the "
    "22nd. The 21st costs 300 more because it is a Saturday.",
    "Meeting notes, weekly sync, Tuesday\n- Q3 hiring: two offers out, one accepted (starts on "
    "the 4th)\n- Office move: lease signed, IT needs the floor plan by Friday\n- Customer "
    "onboarding checklist still missing the security section (owner: Sam)\n- Budget review "
    "moved to next Thursday; finance wants the updated numbers by Wednesday noon\n- Next "
    "meeting: agenda to be sent by Monday",
    "Hi team, quick update: starting next month we are switching our weekly status meeting from "
    "Monday mornings to Tuesday afternoons, because too many of you are travelling on Mondays. "
    "Please update your calendars, and if the new time does not work for you, tell me before the "
    "end of the week so I can find another slot.",
};

// ---- education ------------------------------------------------------------------------------

constexpr string_view kEducationAsks[] = {
    "Explain fractions to my 10 year old with three simple examples she can draw on paper.",
    "Make a 10 question quiz on the French Revolution for high school students, with an answer "
    "key.",
    "Can you check my homework? I'm not sure about question 3 and I need to understand why.",
    "Create a lesson plan for a 45 minute class on the water cycle for fourth grade students.",
    "Help me make a study plan for my algebra final exam in two weeks.",
    "Explain long division step by step like you would to a student who keeps getting stuck.",
    "Give me 15 flashcards to memorize the most common irregular verbs for my exam.",
    "My son is in middle school and struggles with multiplication tables. How can I help him "
    "practice at home?",
};

constexpr string_view kEducationFollowups[] = {
    "Can you make the quiz a bit easier for students who are behind?",
    "Thanks! Now give me three more practice problems like question 3.",
    "Could you turn that into a worksheet I can print for the class?",
};

// ---- creative writing -----------------------------------------------------------------------

constexpr string_view kCreativeAsks[] = {
    "Continue the story from where it stops, in the same voice, about 400 words.",
    "Write the next chapter: the protagonist finally meets the villain at the lighthouse.",
    "Rewrite this scene as a screenplay, with dialogue and short stage directions.",
    "Write a short poem about the harbor at dawn to open the next chapter of the novel.",
    "Give me three ideas for a plot twist in this story that a reader would not see coming.",
    "Write a bedtime story for a six year old about a fox who is afraid of the dark.",
    "Write song lyrics with a chorus about leaving a small town, in the style of a folk ballad.",
};

constexpr string_view kCreativeMaterial[] = {
    "The fog came in before the boats did. Elin stood at the end of the pier with her father's "
    "lantern, counting the hulls as they slid out of the grey, and when the last one passed the "
    "breakwater she counted again, because the number was wrong. The Marit was not among them. "
    "Behind her the village kept its windows dark, the way it always did when the sea had not "
    "yet decided.",
    "Chapter Seven. Nobody in Hollowmere remembered who had built the lighthouse, only that its "
    "light had gone out on the night the old keeper vanished. Tomas found the door unlocked. "
    "Inside, the stairs were swept clean, and on the table at the top lay a cup of tea that was "
    "still warm.",
    "The detective took off her gloves one finger at a time. 'You told the constable you were "
    "asleep at eleven,' she said. 'But the clock in your study stopped at a quarter past, and "
    "someone wound it back.' Mr. Ashby smiled the way men smile when they have rehearsed.",
};

// ---- marketing ------------------------------------------------------------------------------

constexpr string_view kMarketingAsks[] = {
    "Write ad copy for the launch campaign of this product: a headline, two lines of body text "
    "and a call to action.",
    "Give me five catchy slogans for this brand, aimed at a target audience of young parents.",
    "Write a product description for our online store, optimized for SEO, from the brief below.",
    "Draft three Instagram captions with hashtags to promote the discount on this product.",
    "Write the hero section of a landing page for this product, with a clear call to action.",
    "Write a short marketing email for our newsletter announcing the launch, with a catchy "
    "subject line.",
};

constexpr string_view kMarketingMaterial[] = {
    "Product brief: Brewly One, a compact espresso machine for small kitchens. Heats up in 25 "
    "seconds, 15 bar pump, milk frother included, three colours (sage, sand, charcoal). Price "
    "249, launch discount 15% for newsletter subscribers until the end of the month. Target "
    "customers: first-time home baristas, 25 to 40, living in city apartments.",
    "Brand notes: Trailmark makes waterproof hiking backpacks from recycled fabric. Tone of "
    "voice: warm, outdoorsy, a little playful, never preachy. Key message: built to last ten "
    "years, repaired for free. Competitors talk about specs; we talk about the trips people take.",
    "Campaign: spring sale for Nook & Co, a shop for handmade ceramics. Dates: 1 to 14 April. "
    "Offer: 20% off mugs and bowls, free shipping above 60. Channels: newsletter, Instagram, "
    "Facebook ads. Goal: drive traffic to the new collection page.",
};

// ---- science --------------------------------------------------------------------------------

constexpr string_view kScienceAsks[] = {
    "Why does ice float on water when most solids sink in their own liquid? Explain the density "
    "and the hydrogen bonds between the molecules.",
    "How do black holes lose mass through Hawking radiation if nothing escapes them?",
    "Explain photosynthesis and cellular respiration and how the energy flows between them.",
    "What happens to the electrons in the chemical reaction when sodium and chlorine form salt?",
    "How does CRISPR actually cut the DNA of a cell, step by step?",
    "Why is the speed of light the same for every observer in special relativity?",
    "What causes the seasons on Earth if the distance to the sun barely changes?",
    "How do vaccines train the immune system to make antibodies, at the level of the cells?",
};

// ---- technology -----------------------------------------------------------------------------

constexpr string_view kTechnologyAsks[] = {
    "My wifi keeps dropping every evening. Which router settings should I change?",
    "How do I factory reset the X200 router without losing the firmware update?",
    "Why won't my laptop show anything on the external monitor over HDMI after the Windows "
    "update?",
    "Is an NVMe SSD worth it over a SATA SSD for a gaming PC?",
    "How do I turn on two factor authentication for my Google Drive account?",
    "My phone battery drains overnight since the iOS update. What settings should I check?",
    "How do I set up port forwarding on my router for a game console?",
    "Which mesh wifi system works best for a three floor house with thick walls?",
};

constexpr string_view kTechnologyMaterial[] = {
    "X200 Router User Guide, 4.2 Wireless settings. The X200 broadcasts on 2.4 GHz and 5 GHz. "
    "Band steering moves devices to the 5 GHz band when the signal is strong. If devices drop "
    "their connection, set a fixed channel (1, 6 or 11 on 2.4 GHz) and turn off the automatic "
    "channel selection. Firmware 3.1 and later keep these settings after a reboot.",
    "X200 Router User Guide, 7.1 Factory reset. Hold the reset button on the back for ten "
    "seconds until the power light blinks amber. The router restores the factory settings: the "
    "wifi network name and password on the label, and the admin password admin. The installed "
    "firmware version is kept.",
    "Cloud Backup Help, Restoring files. Open the Cloud Backup app on your computer, choose "
    "Restore, then pick the device and the date of the backup. Files restore to their original "
    "folder unless you choose another one. Restoring over a slow internet connection can take "
    "several hours; the app keeps running in the background.",
    "Smart Thermostat T3, Connecting to wifi. The thermostat supports 2.4 GHz networks only. "
    "Open the companion app, tap Add device and hold the thermostat's button until the screen "
    "shows a blue circle. If the connection fails, move the router closer or check that your "
    "network password has no special characters.",
};

// ---- health ---------------------------------------------------------------------------------

constexpr string_view kHealthAsks[] = {
    "I've had a headache behind my eyes for three days and ibuprofen barely helps. Should I see "
    "a doctor?",
    "What is the maximum safe dosage of paracetamol per day for an adult?",
    "Give me a beginner workout plan for three days a week to build muscle at the gym.",
    "What are the common symptoms of iron deficiency anemia?",
    "Is it normal to feel dizzy and tired after donating blood?",
    "How much protein should I eat per day if I'm trying to lose weight without losing muscle?",
    "I sprained my ankle playing football yesterday. Should I use ice or heat, and when can I "
    "run again?",
    "What can I do about insomnia without taking sleeping pills?",
};

// ---- finance --------------------------------------------------------------------------------

constexpr string_view kFinanceAsks[] = {
    "Should I pay off my credit card debt first or put money into my 401k match?",
    "Explain how an index fund ETF differs from a mutual fund in fees and taxes.",
    "How does compound interest work on a savings account? Show an example with 5,000 dollars.",
    "Is it better to rent or buy a house when mortgage interest rates are around 7%?",
    "What is a reasonable emergency fund for a freelancer with irregular income?",
    "How are capital gains on stocks taxed if I sell after less than a year?",
    "Should I diversify my portfolio with bonds if I'm 30 and investing for retirement?",
};

// ---- legal ----------------------------------------------------------------------------------

constexpr string_view kLegalAsks[] = {
    "My landlord is keeping my whole security deposit for normal wear and tear. What are my "
    "rights as a tenant?",
    "Is a non compete clause enforceable in California if I move to a competitor?",
    "Can I use 15 seconds of a song in my YouTube video under fair use, or is that copyright "
    "infringement?",
    "Is a verbal agreement legally binding if there is no written contract?",
    "Do I need a lawyer to write a will, or is an online template legally valid?",
    "My employer wants to fire me for posting about my salary. Is that legal?",
    "What does GDPR require from a small online shop that stores customer emails?",
};

// ---- academia -------------------------------------------------------------------------------

constexpr string_view kAcademiaAsks[] = {
    "Help me tighten the literature review section of my thesis; here is the draft paragraph:",
    "Write an abstract for this paper in under 200 words, based on the draft below:",
    "The reviewer says my sample size is too small. How should I respond in the rebuttal, given "
    "this methodology section?",
    "Format these references in APA 7th edition and tell me which citations are missing data:",
    "Is this research question specific enough for a master's thesis? Here is my proposal:",
    "Rewrite this paragraph of my dissertation in a more academic style without changing the "
    "argument:",
};

constexpr string_view kAcademiaMaterial[] = {
    "Draft: Prior studies of remote work have focused on productivity (Bloom et al., 2015; "
    "Choudhury et al., 2021) and on wellbeing (Galanti et al., 2021), but few have examined how "
    "hybrid schedules change informal knowledge sharing between teams. Our study addresses this "
    "gap with a mixed-methods design: a survey of 412 employees in three firms and 24 "
    "semi-structured interviews.",
    "Methodology: We recruited 38 participants through the university's mailing lists. Each "
    "completed a 20-minute reading task under two conditions, with and without background "
    "noise, in counterbalanced order. Comprehension was measured with a 10-item questionnaire. "
    "We used a paired t-test (alpha = 0.05) and report effect sizes as Cohen's d.",
    "References: Bloom, N., Liang, J., Roberts, J., & Ying, Z. J. (2015). Does working from home "
    "work? Evidence from a Chinese experiment. The Quarterly Journal of Economics, 130(1). "
    "Galanti, T., et al. (2021). Work from home during the COVID-19 outbreak. Journal of "
    "Occupational and Environmental Medicine.",
};

// ---- trivia ---------------------------------------------------------------------------------

constexpr string_view kTriviaAsks[] = {
    "What is the capital of Australia?",
    "Who wrote One Hundred Years of Solitude?",
    "In what year did the Berlin Wall fall?",
    "What is the tallest mountain in Africa?",
    "Who invented the telephone?",
    "How many players are on a rugby union team?",
    "Which planet has the most moons?",
    "Who painted The Night Watch?",
    "What is the longest river in South America?",
    "Who won the first football World Cup?",
};

constexpr TopicText kTopics[] = {
    {TaskCategory::kProgramming, Topic::kGeneral, Language::kEnglish, kProgrammingAsks,
     kProgrammingFollowups, kProgrammingReplies, kCode},
    {TaskCategory::kProgramming, Topic::kAgent, Language::kEnglish, kAgentAsks, kAgentFollowups,
     kProgrammingReplies, kCode},
    {TaskCategory::kProgramming,
     Topic::kNotebook,
     Language::kEnglish,
     kNotebookAsks,
     kProgrammingFollowups,
     {},
     kNotebookMaterial},
    {TaskCategory::kRoleplay,
     Topic::kGeneral,
     Language::kEnglish,
     kRoleplayAsks,
     {},
     kRoleplayReplies,
     {}},
    {TaskCategory::kTranslation,
     Topic::kGeneral,
     Language::kEnglish,
     kTranslationAsks,
     {},
     {},
     kTranslationMaterial},
    {TaskCategory::kGeneralQa, Topic::kGeneral, Language::kEnglish, kGeneralAsks, {}, {}, {}},
    {TaskCategory::kGeneralQa,
     Topic::kSupport,
     Language::kEnglish,
     kSupportAsks,
     kSupportFollowups,
     kSupportReplies,
     {}},
    {TaskCategory::kProductivity,
     Topic::kGeneral,
     Language::kEnglish,
     kProductivityAsks,
     {},
     {},
     kProductivityMaterial},
    {TaskCategory::kEducation,
     Topic::kGeneral,
     Language::kEnglish,
     kEducationAsks,
     kEducationFollowups,
     {},
     {}},
    {TaskCategory::kCreativeWriting,
     Topic::kGeneral,
     Language::kEnglish,
     kCreativeAsks,
     {},
     {},
     kCreativeMaterial},
    {TaskCategory::kMarketing,
     Topic::kGeneral,
     Language::kEnglish,
     kMarketingAsks,
     {},
     {},
     kMarketingMaterial},
    {TaskCategory::kScience, Topic::kGeneral, Language::kEnglish, kScienceAsks, {}, {}, {}},
    {TaskCategory::kTechnology,
     Topic::kGeneral,
     Language::kEnglish,
     kTechnologyAsks,
     {},
     {},
     kTechnologyMaterial},
    {TaskCategory::kHealth, Topic::kGeneral, Language::kEnglish, kHealthAsks, {}, {}, {}},
    {TaskCategory::kFinance, Topic::kGeneral, Language::kEnglish, kFinanceAsks, {}, {}, {}},
    {TaskCategory::kLegal, Topic::kGeneral, Language::kEnglish, kLegalAsks, {}, {}, {}},
    {TaskCategory::kAcademia,
     Topic::kGeneral,
     Language::kEnglish,
     kAcademiaAsks,
     {},
     {},
     kAcademiaMaterial},
    {TaskCategory::kTrivia, Topic::kGeneral, Language::kEnglish, kTriviaAsks, {}, {}, {}},
    {TaskCategory::kOther, Topic::kGeneral, Language::kNone, kOtherAsks, {}, {}, {}},
};

}  // namespace

std::span<const TopicText> EnglishTopicTexts() { return kTopics; }
std::span<const std::string_view> CodeMaterial() { return kCode; }

}  // namespace gw::demo::internal
