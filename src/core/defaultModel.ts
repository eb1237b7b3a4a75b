import type { MarkovModelDefinition } from './markovModel.js';

/**
 * The e-commerce journey of the event contract. Weights give ~9.8 events per session (see `mockjutsu model --stats`), about
 * 43% of sessions reaching checkout, 85% of payments succeeding (failed ones are
 * retried about two times in three). Think times are medians in ms with log-normal spread.
 */
export const defaultModelDefinition: MarkovModelDefinition = {
  name: 'ecommerce',
  start: 'login',
  terminal: 'logout',
  max_steps: 200,
  max_cart_lines: 8,
  aggregate_type: 'ShoppingSession',
  states: {
    login: {
      think_time: { median_ms: 2500, sigma: 0.5 },
      transitions: { page_view: 60, search: 35, logout: 2 },
    },
    page_view: {
      think_time: { median_ms: 9000, sigma: 0.8 },
      transitions: { page_view: 34, search: 18, add_to_cart: 22, remove_from_cart: 3, checkout: 6, logout: 10 },
    },
    search: {
      think_time: { median_ms: 6000, sigma: 0.7 },
      transitions: { page_view: 55, search: 14, add_to_cart: 16, logout: 7 },
    },
    add_to_cart: {
      think_time: { median_ms: 4000, sigma: 0.6 },
      transitions: { page_view: 30, search: 14, add_to_cart: 14, remove_from_cart: 7, checkout: 28, logout: 5 },
    },
    remove_from_cart: {
      think_time: { median_ms: 3000, sigma: 0.6 },
      transitions: { page_view: 34, search: 10, add_to_cart: 20, checkout: 16, logout: 10 },
    },
    checkout: {
      think_time: { median_ms: 20000, sigma: 0.5 },
      transitions: { payment: 86, page_view: 7, logout: 7 },
    },
    payment: {
      think_time: { median_ms: 4000, sigma: 0.5 },
      outcomes: {
        success: { weight: 85, transitions: { page_view: 25, search: 5, logout: 70 } },
        failed: { weight: 15, transitions: { payment: 65, logout: 35 } },
      },
    },
    logout: {},
  },
};
