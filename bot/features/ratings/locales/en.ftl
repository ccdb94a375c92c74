# Ratings (bot/features/ratings/).

## Ratings — customer
rate-csat-question = How would you rate our help with ticket #{ $number }? 1 — very poor, 5 — excellent.
rate-nps-question = One more: how likely are you to recommend us to a friend? 0 — not at all, 10 — definitely.
rate-your-answer = Your answer: { $score }. You can change it by tapping another number.
rate-recorded = Thank you! Your answer: { $score }
rate-changed = Updated: { $score }
rate-thanks-high = Thank you for the { $score }! We're glad we could help.
rate-thanks-low = Thank you for being honest — we're sorry it wasn't better. Would you like someone from the team to get back to you about it?
rate-button-followup = 🙋 Yes, please contact me
rate-followup-requested = Done — an agent will get back to you in this chat.
rate-nps-thanks-promoter = Thank you, that means a lot to us! 💙
rate-nps-thanks-passive = Thank you! We'll keep working to earn a 10.
rate-nps-thanks-detractor = Thank you for the honest answer. If you tell us what to improve, we'll pass it to the team.
rate-not-offered = Thank you! This survey is no longer available.

## Ratings — agents
rate-agent-low = ⚠️ The customer rated ticket #{ $number }: { $score }/5.
rate-agent-followup = 🙋 The customer asks for a follow-up on ticket #{ $number } (rated { $score }/5).
rate-agent-followup-reopened = 🙋 The customer asks for a follow-up (rated { $score }/5): ticket #{ $number } reopened.
