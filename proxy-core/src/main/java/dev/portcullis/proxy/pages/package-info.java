/** The pages the proxy answers with itself: error pages in HTML for browsers and JSON for programs. */
package dev.portcullis.proxy.pages;
