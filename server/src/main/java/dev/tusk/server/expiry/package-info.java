/** The expiry sweeper: deletes uploads past their time to live. */
package dev.tusk.server.expiry;
